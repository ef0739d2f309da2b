import { afterEach, describe, expect, it } from 'vitest';
import { createActorSystem, type ActorSystem } from '../actors/runtime.js';
import { serializeBattle, deserializeBattle } from '../actors/sector/snapshot.js';
import { authorize } from '../actors/team/authority.js';
import { planCommand } from '../actors/squadron/tactics.js';
import { assignTeams, nodesWanted } from '../cluster/overflow/assign.js';
import { decodeResult, encodeResult } from '../cluster/overflow/codec.js';
import { OverflowReplica, ReplicaError } from '../cluster/overflow/replica.js';
import { cmd, newBattle, turn, unitsOf } from './helpers.js';

let system: ActorSystem | undefined;
afterEach(() => { system?.shutdown(); system = undefined; });

describe('overflow team assignment', () => {
  it('asks for one node per 100 players, bounded by the nodes and teams there are', () => {
    expect(nodesWanted(101, 100, 3, 4)).toBe(2);
    expect(nodesWanted(300, 100, 3, 8)).toBe(3);
    expect(nodesWanted(300, 100, 2, 8)).toBe(2);
    expect(nodesWanted(300, 100, 5, 2)).toBe(2);
    expect(nodesWanted(40, 100, 3, 4)).toBe(1);
  });

  it('places whole teams, biggest first, on the least-loaded node; the same loads give the same placement', () => {
    const loads = [{ team: 0, players: 30 }, { team: 1, players: 80 }, { team: 2, players: 50 }, { team: 3, players: 40 }];
    const a = assignTeams(loads, 3);
    expect(a).toEqual(assignTeams([...loads].reverse(), 3));
    expect([...a.keys()].sort()).toEqual([0, 1, 2, 3]);
    const perNode = [0, 0, 0];
    for (const l of loads) perNode[a.get(l.team)!] += l.players;
    expect(perNode.sort((x, y) => x - y)).toEqual([70, 50, 80].sort((x, y) => x - y));
  });
});

describe('overflow wire forms', () => {
  it('carries verdicts and plans (unit ids and destinations) exactly', () => {
    const b = newBattle();
    const move = cmd({ id: 'm', player: 'a-cap', kind: 'move', scope: { squadron: 'sq-a-cap' }, x: 500, y: 700 });
    const plan = planCommand(b, move)!;
    expect(plan.ids.length).toBeGreaterThan(0);
    const back = decodeResult(encodeResult({ index: 3, verdict: authorize(b, move), plan }));
    expect(back.index).toBe(3);
    expect(back.verdict).toEqual({ ok: true });
    expect([...back.plan!.ids]).toEqual([...plan.ids]);
    expect([...back.plan!.x!]).toEqual([...plan.x!]);
    const refused = decodeResult(encodeResult({ index: 0, verdict: { ok: false, reason: 'NO_AUTHORITY', message: 'no' }, plan: null }));
    expect(refused).toEqual({ index: 0, verdict: { ok: false, reason: 'NO_AUTHORITY', message: 'no' }, plan: null });
  });

  it('refuses a plan whose columns do not add up', () => {
    expect(() => decodeResult({ index: 0, ok: true, reason: '', message: '', planned: true, ids: Buffer.alloc(3), hasPoints: false, x: Buffer.alloc(0), y: Buffer.alloc(0) })).toThrow(/not whole/);
  });
});

describe('overflow replica', () => {
  it('follows the primary turn by turn, takes in its teams\' orders as the primary would, and refuses gaps, divergence and foreign teams', async () => {
    system = createActorSystem('replica-test');
    const primary = newBattle();
    const replica = new OverflowReplica('s', 1, 'A', deserializeBattle(serializeBattle(primary)), [0], { 0: 'attack_move by a-sc' }, system);
    const orders = [cmd({ id: 'o1', player: 'a-pil', kind: 'move', scope: { units: unitsOf(primary, 'a-pil') }, x: 300, y: 300 })];
    const t1 = turn(primary, ...orders);
    const t2 = turn(primary);
    const follow = [{ turn: 1, commandsJson: JSON.stringify(orders), hash: t1.hash }, { turn: 2, commandsJson: '[]', hash: t2.hash }];
    const ask = [
      cmd({ id: 'o2', player: 'a-pil', kind: 'move', scope: { team: true }, x: 1, y: 1 }),
      cmd({ id: 'o3', player: 'a-cap', kind: 'move', scope: { squadron: 'sq-a-cap' }, x: 900, y: 400 }),
    ];
    const answers = await replica.turn(3, follow, ask.map((c, index) => ({ index, team: 0, commandJson: JSON.stringify(c) })));
    expect(replica.battle.world.turn).toBe(2);
    expect(answers.map((r) => r.verdict)).toEqual(ask.map((c) => authorize(primary, c)));
    expect([...answers[1].plan!.x!]).toEqual([...planCommand(primary, ask[1])!.x!]);
    // a retried call with turns already followed is answered, not applied twice
    await replica.turn(3, follow, []);
    expect(replica.battle.world.turn).toBe(2);
    expect(await replica.standing()).toEqual({ 0: 'attack_move by a-sc' });

    await expect(replica.turn(5, [{ turn: 4, commandsJson: '[]', hash: 'x' }], [])).rejects.toThrow(ReplicaError); // turn 3 missing
    await expect(replica.turn(3, [], [{ index: 0, team: 1, commandJson: '{}' }])).rejects.toThrow(/does not run here/);
    // the primary's next turn is followed; a hash that does not match the replica's is divergence
    const t3 = turn(primary);
    await replica.turn(4, [{ turn: 3, commandsJson: '[]', hash: t3.hash }], []);
    expect(replica.battle.world.turn).toBe(3);
    turn(primary);
    await expect(replica.turn(5, [{ turn: 4, commandsJson: '[]', hash: '0000000000000000' }], [])).rejects.toThrow(/diverged/);
  });
});
