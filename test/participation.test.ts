import { describe, expect, it } from 'vitest';
import type { Command } from '../actors/model/commands.js';
import { joinFee } from '../actors/sector/apply.js';
import type { Battle, BattleEvent } from '../actors/sector/battle.js';
import type { TeamSetup } from '../actors/sector/setup.js';
import type { TurnOutcome } from '../actors/sector/turn.js';
import { UNIT_STATS, UnitType } from '../actors/unit/catalog.js';
import { DestroyCause, EventKind, Order, Relation, Stance } from '../actors/unit/enums.js';
import { isTargetable, nearestExit } from '../actors/unit/step.js';
import { isHostile, slotOf, unitId } from '../actors/unit/world.js';
import { battleHash, cmd, idle, newBattle, turn, unitsOf } from './helpers.js';

type Ev = [kind: number, a: number, b: number, c: number];

function kernelEvents(o: TurnOutcome): Ev[] {
  const out: Ev[] = [];
  for (let i = 0; i < o.kernelEvents.length; i += 4) out.push([o.kernelEvents[i], o.kernelEvents[i + 1], o.kernelEvents[i + 2], o.kernelEvents[i + 3]]);
  return out;
}

const ofKind = (o: TurnOutcome, kind: number) => kernelEvents(o).filter((e) => e[0] === kind);

function player(b: Battle, id: string) {
  const p = b.roster.players.find((x) => x.id === id);
  if (!p) throw new Error(`no player ${id}`);
  return p;
}

function join(playerId: string, c: Record<string, unknown>): Command {
  return cmd({ player: playerId, kind: 'join', ...c });
}

function retreat(playerId: string, mode: string): Command {
  return cmd({ player: playerId, kind: 'retreat', mode });
}

/** Live units (escape pods excluded) of a team. */
function teamUnits(b: Battle, team: number): number[] {
  const w = b.world;
  const out: number[] = [];
  for (let s = 0; s < w.highWater; s++) if (w.alive[s] === 1 && w.team[s] === team && w.type[s] !== UnitType.ESCAPE_POD) out.push(s);
  return out;
}

/** Moves units by an offset (test set-up only: bring enemies together or keep bystanders out of a fight). */
function shift(b: Battle, slots: number[], dx: number, dy: number): void {
  const w = b.world;
  for (const s of slots) { w.x[s] += dx; w.y[s] += dy; w.orderX[s] = w.x[s]; w.orderY[s] = w.y[s]; }
}

const slotsOf = (b: Battle, ids: number[]) => ids.map((id) => slotOf(b.world, id));

/** Same commands on a twin battle that never saw the rejected one: state must be identical. */
function expectRejectedWithoutEffect(make: () => Battle, prepare: (b: Battle) => void, bad: Command, reason: string): void {
  const a = make(), b = make();
  prepare(a);
  prepare(b);
  const before = { players: a.roster.players.length, teams: a.roster.teams.length, live: a.world.liveCount };
  const o = turn(a, bad);
  expect(o.results[0].ok).toBe(false);
  expect(o.results[0].reason).toBe(reason);
  expect(o.events).toEqual([]);
  expect({ players: a.roster.players.length, teams: a.roster.teams.length, live: a.world.liveCount }).toEqual(before);
  expect(o.hash).toBe(turn(b).hash);
}

// ---------------------------------------------------------------------------------------------

describe('hot join', () => {
  it('default deployment phase is 30 s: 300 turns at 10 turns per second', () => {
    const b = newBattle();
    expect(b.config.turnsPerSecond).toBe(10);
    expect(b.config.deployTurns).toBe(300);
    expect(newBattle({ turnsPerSecond: 20 }).config.deployTurns).toBe(600);
    expect(newBattle({ deploySeconds: 5 }).config.deployTurns).toBe(50);
  });

  it('a new pilot warps in at the rally point, deploys for 30 s without moving, firing or being targeted, then fights', () => {
    const b = newBattle();
    const w = b.world;
    const alpha = b.roster.teams[0], beta = b.roster.teams[1];
    idle(b, 20);
    const fee = joinFee(b);
    const o = turn(b, join('n-pil', { team: 'Alpha', role: 'pilot', tier: 'bronze', credits: 5000, captain: 'a-cap', fleet: { basic_drone: 4, corvette: 1 } }));
    expect(o.results).toEqual([expect.objectContaining({ ok: true, player: 'n-pil' })]);
    expect(o.turn).toBe(21);
    const p = player(b, 'n-pil');
    expect(p.team).toBe(0);
    expect(p.role).toBe('pilot');
    expect(p.status).toBe('deploying');
    expect(p.credits).toBe(5000 - fee);
    expect(p.squadron).toBe(player(b, 'a-cap').squadron); // flies in the captain's squadron
    expect(p.activeAt).toBe(21 + 300);
    const ids = unitsOf(b, 'n-pil');
    expect(ids).toHaveLength(5);
    expect(o.events).toContainEqual({ type: 'joined', player: 'n-pil', team: 'Alpha', role: 'pilot', fee, units: ids });
    const slots = slotsOf(b, ids);
    expect(slots.map((s) => w.type[s]).sort()).toEqual([UnitType.BASIC_DRONE, UnitType.BASIC_DRONE, UnitType.BASIC_DRONE, UnitType.BASIC_DRONE, UnitType.CORVETTE].sort());
    for (const s of slots) {
      expect(w.team[s]).toBe(0);
      expect(w.activeAt[s]).toBe(p.activeAt);
      expect(w.activeAt[s]).toBeGreaterThan(w.turn);
      expect(isTargetable(w, s)).toBe(false);
      // warped in around Alpha's rally point, far from Beta's
      expect(Math.abs(w.x[s] - alpha.rallyX)).toBeLessThanOrEqual(40);
      expect(Math.abs(w.y[s] - alpha.rallyY)).toBeLessThanOrEqual(40);
      expect(Math.hypot(w.x[s] - beta.rallyX, w.y[s] - beta.rallyY)).toBeGreaterThan(1000);
    }

    // keep Alpha's other units out of it, and put Beta's drones right next to the newcomers
    const others = teamUnits(b, 0).filter((s) => !slots.includes(s));
    shift(b, others, -250, 1450);
    const betas = teamUnits(b, 1);
    betas.forEach((s) => { w.x[s] = alpha.rallyX + 30 + (s % 5) * 4; w.y[s] = alpha.rallyY + 30 + (s % 4) * 4; });
    const betaAmmo = betas.map((s) => w.ammo[s]);

    // the deploying player may queue a move, but nothing moves yet
    const mv = turn(b, cmd({ player: 'n-pil', kind: 'move', scope: { units: ids }, x: 900, y: 900 }));
    expect(mv.results[0].ok).toBe(true);
    // Beta sees the newcomers but cannot attack them while they deploy
    const att = turn(b, cmd({ player: 'b-sc', kind: 'attack', scope: { units: [idOf(b, betas[0])] }, target: ids[0] }));
    expect(att.results[0].reason).toBe('TARGET_NOT_VISIBLE');

    const start = slots.map((s) => [w.x[s], w.y[s]]);
    while (w.turn < p.activeAt - 1) {
      const t = idle(b, 1);
      expect(ofKind(t, EventKind.DAMAGED)).toEqual([]);
      expect(ofKind(t, EventKind.DEPLOYED)).toEqual([]);
      expect(t.events.filter((e) => e.type === 'player_active')).toEqual([]);
    }
    expect(w.turn).toBe(320);
    expect(p.status).toBe('deploying');
    slots.forEach((s, i) => expect([w.x[s], w.y[s]]).toEqual(start[i]));
    for (const s of slots) expect(w.ammo[s]).toBe(w.catalog.ammunition[w.type[s]]);
    betas.forEach((s, i) => { expect(w.ammo[s]).toBe(betaAmmo[i]); expect(w.target[s]).toBe(-1); });

    // turn 321: deployed
    const d = idle(b, 1);
    expect(d.turn).toBe(p.activeAt);
    expect(p.status).toBe('active');
    expect(d.events).toContainEqual({ type: 'player_active', player: 'n-pil' });
    const deployed = ofKind(d, EventKind.DEPLOYED);
    expect(deployed.map((e) => e[1]).sort()).toEqual([...ids].sort());
    for (const e of deployed) expect(e[2]).toBe(0);
    for (const s of slots) expect(isTargetable(w, s)).toBe(true);

    // now they move and the fight starts both ways
    let hitNew = 0, hitByNew = 0;
    for (let i = 0; i < 30; i++) {
      for (const e of ofKind(idle(b, 1), EventKind.DAMAGED)) {
        if (ids.includes(e[1])) hitNew++;
        if (ids.includes(e[2])) hitByNew++;
      }
    }
    expect(hitNew).toBeGreaterThan(0);
    expect(hitByNew).toBeGreaterThan(0);
    const moved = slots.filter((s, i) => slotOf(w, ids[i]) === s && (w.x[s] !== start[i][0] || w.y[s] !== start[i][1]));
    expect(moved.length).toBeGreaterThan(0);
  });

  it('a shorter deployment phase from the set-up ends on time', () => {
    const b = newBattle({ deploySeconds: 2 });
    const o = turn(b, join('n-cap', { team: 'Beta', role: 'captain', tier: 'silver', credits: 1000, fleet: { defense_drone: 3 } }));
    expect(o.results[0].ok).toBe(true);
    const p = player(b, 'n-cap');
    expect(p.activeAt).toBe(1 + 20);
    idle(b, 19);
    expect(p.status).toBe('deploying');
    const d = idle(b, 1);
    expect(p.status).toBe('active');
    expect(ofKind(d, EventKind.DEPLOYED)).toHaveLength(3);
  });

  it('the join fee escalates with the age of the battle', () => {
    const b = newBattle();
    const fees = [joinFee(b)];
    expect(fees[0]).toBeGreaterThan(0);
    for (let minute = 1; minute <= 4; minute++) {
      idle(b, 600); // one minute of game time at 10 turns per second
      fees.push(joinFee(b));
    }
    for (let i = 1; i < fees.length; i++) expect(fees[i]).toBeGreaterThan(fees[i - 1]);
    expect(fees[4]).toBe(Math.round(b.config.joinFeeBase * (1 + 4 * b.config.joinFeeEscalationPerMinute)));
    // within a minute it does not change
    idle(b, 599);
    expect(joinFee(b)).toBe(fees[4]);

    // credits are deducted at today's price
    const late = joinFee(b);
    const o = turn(b, join('late', { team: 'Alpha', role: 'captain', tier: 'silver', credits: late + 123, fleet: { corvette: 1 } }));
    expect(o.results[0].ok).toBe(true);
    expect(player(b, 'late').credits).toBe(123);
    expect(o.events).toContainEqual(expect.objectContaining({ type: 'joined', player: 'late', fee: late }));
  });

  it('a configured fee schedule is honoured', () => {
    const b = newBattle({ joinFee: { base: 2000, escalationPerMinute: 1 } });
    expect(joinFee(b)).toBe(2000);
    b.world.turn = 2 * 600 + 5;
    expect(joinFee(b)).toBe(6000);
  });

  it('too few credits → INSUFFICIENT_CREDITS, nothing changes', () => {
    const make = () => newBattle();
    const prepare = (b: Battle) => { b.world.turn = 3 * 600; };
    const probe = make();
    prepare(probe);
    const fee = joinFee(probe);
    expect(fee).toBeGreaterThan(joinFee(make()));
    expectRejectedWithoutEffect(make, prepare, join('poor', { team: 'Alpha', role: 'pilot', tier: 'bronze', credits: fee - 1, fleet: { basic_drone: 2 } }), 'INSUFFICIENT_CREDITS');
    // the same player with exactly the fee gets in at the same age
    prepare(probe);
    expect(turn(probe, join('poor', { team: 'Alpha', role: 'pilot', tier: 'bronze', credits: fee, fleet: { basic_drone: 2 } })).results[0].ok).toBe(true);
    expect(player(probe, 'poor').credits).toBe(0);
  });

  it('tier limits: bronze may bring 25 units, not 26, and no battleship', () => {
    const make = () => newBattle();
    const none = () => undefined;
    expectRejectedWithoutEffect(make, none, join('big', { team: 'Alpha', role: 'pilot', tier: 'bronze', credits: 5000, fleet: { basic_drone: 26 } }), 'FLEET_TOO_LARGE');
    expectRejectedWithoutEffect(make, none, join('big', { team: 'Alpha', role: 'pilot', tier: 'bronze', credits: 5000, fleet: { basic_drone: 20, corvette: 6 } }), 'FLEET_TOO_LARGE');
    expectRejectedWithoutEffect(make, none, join('bs', { team: 'Alpha', role: 'pilot', tier: 'bronze', credits: 5000, fleet: { battleship: 1 } }), 'UNIT_TYPE_NOT_ALLOWED');
    expectRejectedWithoutEffect(make, none, join('bs', { team: 'Alpha', role: 'captain', tier: 'silver', credits: 5000, fleet: { carrier: 1 } }), 'UNIT_TYPE_NOT_ALLOWED');
    const b = make();
    expect(turn(b, join('big', { team: 'Alpha', role: 'pilot', tier: 'bronze', credits: 5000, fleet: { basic_drone: 24, corvette: 1 } })).results[0].ok).toBe(true);
    expect(unitsOf(b, 'big')).toHaveLength(25);
    expect(turn(b, join('gold', { team: 'Beta', role: 'admiral', tier: 'gold', credits: 5000, fleet: { battleship: 1 } })).results[0].ok).toBe(true);
  });

  it('rejoining while in the battle → ALREADY_JOINED', () => {
    const b = newBattle();
    const again = turn(b, join('a-pil', { team: 'Alpha', role: 'pilot', tier: 'bronze', credits: 5000, fleet: { basic_drone: 1 } }));
    expect(again.results[0].reason).toBe('ALREADY_JOINED');
    expect(unitsOf(b, 'a-pil')).toHaveLength(5);
    expect(turn(b, join('n1', { team: 'Alpha', role: 'pilot', tier: 'bronze', credits: 5000, fleet: { basic_drone: 3 } })).results[0].ok).toBe(true);
    const players = b.roster.players.length;
    const o = turn(b, join('n1', { team: 'Beta', role: 'pilot', tier: 'bronze', credits: 5000, fleet: { basic_drone: 3 } }));
    expect(o.results[0].reason).toBe('ALREADY_JOINED'); // still deploying: in the battle
    expect(b.roster.players.length).toBe(players);
    expect(player(b, 'n1').team).toBe(0);
    expect(unitsOf(b, 'n1')).toHaveLength(3);
  });

  it('two joins by the same player in one turn: the second is ALREADY_JOINED and brings no second fleet', () => {
    const b = newBattle();
    const o = turn(b,
      join('dup', { team: 'Alpha', role: 'pilot', tier: 'bronze', credits: 5000, fleet: { basic_drone: 15 } }),
      join('dup', { team: 'Alpha', role: 'pilot', tier: 'bronze', credits: 5000, fleet: { basic_drone: 15 } }));
    expect(o.results[0].ok).toBe(true);
    expect(o.results[1].ok).toBe(false);
    expect(o.results[1].reason).toBe('ALREADY_JOINED');
    expect(unitsOf(b, 'dup')).toHaveLength(15);
    expect(unitsOf(b, 'dup').length).toBeLessThanOrEqual(25); // the bronze limit
    expect(o.events.filter((e) => e.type === 'joined')).toHaveLength(1);
    expect(b.roster.squadrons.filter((q) => q.id === 'sq-dup').length).toBeLessThanOrEqual(1);
  });

  it('a retreated player may join again, and then commands their new fleet', () => {
    const b = newBattle({ deploySeconds: 1 });
    expect(turn(b, retreat('a-cap2', 'scorched_earth')).results[0].ok).toBe(true);
    expect(player(b, 'a-cap2').status).toBe('retreated');
    const o = turn(b, join('a-cap2', { team: 'Alpha', role: 'captain', tier: 'silver', credits: 5000, fleet: { corvette: 1 } }));
    expect(o.results[0].ok).toBe(true);
    expect(b.roster.players.filter((p) => p.id === 'a-cap2')).toHaveLength(1);
    expect(player(b, 'a-cap2').status).toBe('deploying');
    const ids = unitsOf(b, 'a-cap2').filter((id) => b.world.type[slotOf(b.world, id)] !== UnitType.ESCAPE_POD);
    expect(ids).toHaveLength(1);
    idle(b, 10);
    expect(player(b, 'a-cap2').status).toBe('active');
    const mv = turn(b, cmd({ player: 'a-cap2', kind: 'move', scope: { units: ids }, x: 500, y: 500 }));
    expect(mv.results[0]).toEqual(expect.objectContaining({ ok: true }));
    // and can be told apart from a player who is still in: joining once more is refused
    expect(turn(b, join('a-cap2', { team: 'Alpha', role: 'captain', tier: 'silver', credits: 5000, fleet: { corvette: 1 } })).results[0].reason).toBe('ALREADY_JOINED');
  });

  it('an independent joins as a new team, hostile to all', () => {
    const b = newBattle({ deploySeconds: 1 });
    // some history the new team dimension must not lose
    turn(b, retreat('a-pil', 'scorched_earth'));
    const lost = [...b.world.stats.lost];
    expect(lost[0]).toBe(5);
    const o = turn(b, join('rogue', { team: 'Rogues', independent: true, role: 'supreme_commander', tier: 'gold', credits: 5000, fleet: { corvette: 2, basic_drone: 3 } }));
    expect(o.results[0].ok).toBe(true);
    const w = b.world;
    expect(b.roster.teams).toHaveLength(3);
    const t = b.roster.teams[2];
    expect(t).toEqual(expect.objectContaining({ name: 'Rogues', independent: true, index: 2 }));
    expect(w.teamCount).toBe(3);
    const p = player(b, 'rogue');
    expect(p.team).toBe(2);
    expect(p.role).toBe('supreme_commander');
    for (const other of [0, 1]) {
      expect(w.relations[2 * 3 + other]).toBe(Relation.HOSTILE);
      expect(w.relations[other * 3 + 2]).toBe(Relation.HOSTILE);
      expect(isHostile(w, 2, other)).toBe(true);
      expect(isHostile(w, other, 2)).toBe(true);
    }
    // Alpha and Beta are still hostile to each other, and the stats kept their history
    expect(w.relations[0 * 3 + 1]).toBe(Relation.HOSTILE);
    expect([...w.stats.lost]).toEqual([...lost, 0]);
    const ids = unitsOf(b, 'rogue');
    expect(ids).toHaveLength(5);
    for (const s of slotsOf(b, ids)) {
      expect(w.team[s]).toBe(2);
      expect(Math.abs(w.x[s] - t.rallyX)).toBeLessThanOrEqual(40);
      expect(Math.abs(w.y[s] - t.rallyY)).toBeLessThanOrEqual(40);
    }
    // once deployed, Alpha may attack it: put an Alpha corvette next to it
    idle(b, 10);
    const ac = slotsOf(b, unitsOf(b, 'a-sc')).find((s) => w.type[s] === UnitType.CORVETTE)!;
    w.x[ac] = w.x[slotOf(w, ids[0])] + 50;
    w.y[ac] = w.y[slotOf(w, ids[0])];
    const att = turn(b, cmd({ player: 'a-sc', kind: 'attack', scope: { units: [idOf(b, ac)] }, target: ids[0] }));
    expect(att.results[0].ok).toBe(true);
    // name clashes and non-commander independents are refused
    expect(turn(b, join('x1', { team: 'Beta', independent: true, role: 'supreme_commander', tier: 'gold', credits: 5000, fleet: { corvette: 1 } })).results[0].ok).toBe(false);
    expect(turn(b, join('x2', { team: 'Loners', independent: true, role: 'pilot', tier: 'gold', credits: 5000, fleet: { corvette: 1 } })).results[0].ok).toBe(false);
    expect(b.roster.teams).toHaveLength(3);
  });
});

function idOf(b: Battle, slot: number): number {
  return unitId(b.world, slot);
}

// ---------------------------------------------------------------------------------------------

describe('retreat by escape pods', () => {
  it('abandons every unit, one pod per ship, pods escape at the nearest edge and save the crew', () => {
    const b = newBattle();
    const w = b.world;
    idle(b, 3);
    const mine = unitsOf(b, 'a-cap');
    const slots = slotsOf(b, mine);
    const ships = slots.filter((s) => UNIT_STATS[w.type[s]].ship).map((s) => idOf(b, s));
    expect(ships).toHaveLength(1); // a corvette and four drones
    const shipSlot = slotOf(w, ships[0]);
    const shipPos = [w.x[shipSlot], w.y[shipSlot]];
    const value = slots.reduce((v, s) => v + w.catalog.cost[w.type[s]], 0);
    const before = { lost: [...w.stats.lost], lostValue: [...w.stats.lostValue], killed: [...w.stats.killedValue] };
    const pilot = unitsOf(b, 'a-pil');

    const o = turn(b, retreat('a-cap', 'escape_pods'));
    expect(o.results[0].ok).toBe(true);
    const destroyed = ofKind(o, EventKind.DESTROYED);
    expect(destroyed.map((e) => e[1]).sort()).toEqual([...mine].sort());
    for (const e of destroyed) {
      expect(e[2]).toBe(-1); // no killer
      expect(e[3]).toBe(DestroyCause.ABANDONED);
    }
    const pods = ofKind(o, EventKind.POD_LAUNCHED);
    expect(pods).toHaveLength(ships.length);
    expect(pods.map((e) => e[2])).toEqual(ships);
    expect(pods[0][3]).toBe(0);
    for (const id of mine) expect(slotOf(w, id)).toBe(-1);
    const pod = slotOf(w, pods[0][1]);
    expect(w.type[pod]).toBe(UnitType.ESCAPE_POD);
    expect(w.owner[pod]).toBe(player(b, 'a-cap').index);
    expect(unitsOf(b, 'a-cap')).toEqual([pods[0][1]]);
    expect(unitsOf(b, 'a-pil')).toEqual(pilot); // the pilot under this captain is not affected

    expect(player(b, 'a-cap').status).toBe('retreated');
    expect(o.events).toContainEqual({ type: 'retreat_ordered', player: 'a-cap', mode: 'escape_pods' });
    expect(o.events).toContainEqual({ type: 'player_retreated', player: 'a-cap' });
    expect(w.stats.lost[0]).toBe(before.lost[0] + mine.length);
    expect(w.stats.lostValue[0]).toBe(before.lostValue[0] + value);
    expect([...w.stats.killedValue]).toEqual(before.killed);

    // pods cannot be targeted or attacked
    expect(isTargetable(w, pod)).toBe(false);
    const betaDrone = teamUnits(b, 1)[0];
    w.x[betaDrone] = w.x[pod] + 20; w.y[betaDrone] = w.y[pod];
    const att = turn(b, cmd({ player: 'b-sc', kind: 'attack', scope: { units: [idOf(b, betaDrone)] }, target: pods[0][1] }));
    expect(att.results[0].reason).toBe('UNKNOWN_TARGET');
    w.x[betaDrone] += 1000; // out of everyone's way

    // the pod heads for the nearest edge, never getting farther from it, and escapes there
    const exit = new Float64Array(2);
    nearestExit(w, shipPos[0], shipPos[1], exit);
    expect([w.orderX[pod], w.orderY[pod]]).toEqual([exit[0], exit[1]]);
    const edgeDistance = () => Math.min(w.x[pod], w.y[pod], w.width - w.x[pod], w.height - w.y[pod]);
    let last = edgeDistance();
    let escaped: Ev | undefined;
    let turns = 0;
    while (!escaped && turns < 200) {
      const t = idle(b, 1);
      turns++;
      escaped = ofKind(t, EventKind.POD_ESCAPED)[0];
      expect(ofKind(t, EventKind.DAMAGED).filter((e) => e[1] === pods[0][1])).toEqual([]);
      if (!escaped) {
        const d = edgeDistance();
        expect(d).toBeLessThan(last);
        last = d;
      }
    }
    expect(escaped).toEqual([EventKind.POD_ESCAPED, pods[0][1], 0, 0]);
    expect(turns).toBeGreaterThan(1);
    expect(w.stats.crewSaved[0]).toBe(1);
    expect(slotOf(w, pods[0][1])).toBe(-1);
    expect(unitsOf(b, 'a-cap')).toEqual([]);

    // a retreated player gives no more orders
    const late = turn(b, cmd({ player: 'a-cap', kind: 'hold', scope: { squadron: 'sq-a-cap' } }));
    expect(late.results[0].reason).toBe('PLAYER_NOT_ACTIVE');
  });

  it('drones alone leave no pods', () => {
    const b = newBattle();
    const o = turn(b, retreat('a-pil', 'escape_pods'));
    expect(ofKind(o, EventKind.DESTROYED)).toHaveLength(5);
    expect(ofKind(o, EventKind.POD_LAUNCHED)).toEqual([]);
    expect(unitsOf(b, 'a-pil')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('fighting withdrawal', () => {
  it('units disengage toward the nearest edge over several turns; the player withdraws, then has retreated', () => {
    const b = newBattle();
    const w = b.world;
    const mine = unitsOf(b, 'a-cap');
    const o = turn(b, retreat('a-cap', 'fighting_withdrawal'));
    expect(o.results[0].ok).toBe(true);
    const p = player(b, 'a-cap');
    expect(p.status).toBe('withdrawing');
    expect(o.events).toContainEqual({ type: 'retreat_ordered', player: 'a-cap', mode: 'fighting_withdrawal' });
    expect(o.events.filter((e) => e.type === 'player_retreated')).toEqual([]);
    const exit = new Float64Array(2);
    for (const s of slotsOf(b, mine)) {
      expect(w.order[s]).toBe(Order.WITHDRAW);
      expect(w.stance[s]).toBe(Stance.BALANCED);
      nearestExit(w, w.x[s], w.y[s], exit);
      // destination fixed when ordered; after one turn of flying toward it it is still the nearest exit
      expect([w.orderX[s], w.orderY[s]]).toEqual([exit[0], exit[1]]);
    }

    // withdrawing units refuse new orders: the player is no longer active, and nobody else may redirect them
    expect(turn(b, cmd({ player: 'a-cap', kind: 'hold', scope: { squadron: 'sq-a-cap' } })).results[0].reason).toBe('PLAYER_NOT_ACTIVE');
    expect(turn(b, cmd({ player: 'a-sc', kind: 'move', scope: { units: [mine[0]] }, x: 1000, y: 1000 })).results[0].reason).toBe('UNIT_RETREATING');
    expect(turn(b, cmd({ player: 'a-sc', kind: 'stance', scope: { team: true }, stance: 'defensive' })).results[0].ok).toBe(true);
    for (const s of slotsOf(b, mine)) { expect(w.stance[s]).toBe(Stance.BALANCED); expect(w.order[s]).toBe(Order.WITHDRAW); }
    expect(turn(b, retreat('a-cap', 'escape_pods')).results[0].reason).toBe('PLAYER_NOT_ACTIVE');

    const left = new Map<number, number>(); // unit id → turn it left
    let retreatedAt = -1;
    const startTurn = w.turn;
    while (retreatedAt < 0 && w.turn < 400) {
      const t = idle(b, 1);
      for (const e of ofKind(t, EventKind.RETREATED)) {
        expect(mine).toContain(e[1]);
        expect(e[2]).toBe(0);
        left.set(e[1], t.turn);
      }
      if (t.events.some((e) => e.type === 'player_retreated' && e.player === 'a-cap')) retreatedAt = t.turn;
      else expect(p.status).toBe('withdrawing');
    }
    expect(left.size).toBe(mine.length);
    expect(p.status).toBe('retreated');
    expect(retreatedAt).toBe(Math.max(...left.values())); // the turn the last one left
    expect(Math.min(...left.values()) - startTurn).toBeGreaterThan(10); // it takes a while
    expect(w.stats.retreated[0]).toBe(mine.length);
    expect(w.stats.lost[0]).toBe(0); // withdrawn, not lost
    for (const id of mine) expect(slotOf(w, id)).toBe(-1);
  });

  it('withdrawing units keep firing at hostiles in range while they fly out', () => {
    const b = newBattle();
    const w = b.world;
    const mine = unitsOf(b, 'a-cap');
    const mySlots = slotsOf(b, mine);
    // everybody else of Alpha far away; six Beta drones across the withdrawal path, holding position
    shift(b, teamUnits(b, 0).filter((s) => !mySlots.includes(s)), -250, 1450);
    const betas = teamUnits(b, 1).slice(0, 6);
    shift(b, teamUnits(b, 1).slice(6), 0, 300);
    const exit = new Float64Array(2);
    const cs = mySlots.find((s) => w.type[s] === UnitType.CORVETTE)!;
    nearestExit(w, w.x[cs], w.y[cs], exit);
    betas.forEach((s, i) => {
      w.x[s] = (w.x[cs] + exit[0]) / 2 + i * 6;
      w.y[s] = (w.y[cs] + exit[1]) / 2 + i * 6;
    });
    const hold = turn(b, cmd({ player: 'b-sc', kind: 'hold', scope: { units: betas.map((s) => idOf(b, s)) } }));
    expect(hold.results[0].ok).toBe(true);

    turn(b, retreat('a-cap', 'fighting_withdrawal'));
    let shotsWhileWithdrawing = 0;
    let movingShots = 0;
    for (let i = 0; i < 300 && player(b, 'a-cap').status === 'withdrawing'; i++) {
      const before = new Map(mine.map((id) => { const s = slotOf(w, id); return [id, s < 0 ? null : [w.x[s], w.y[s]]] as const; }));
      const t = idle(b, 1);
      for (const e of ofKind(t, EventKind.DAMAGED)) {
        if (!mine.includes(e[2])) continue;
        const s = slotOf(w, e[2]);
        shotsWhileWithdrawing++;
        expect(w.order[s]).toBe(Order.WITHDRAW);
        const pos = before.get(e[2])!;
        if (pos && (pos[0] !== w.x[s] || pos[1] !== w.y[s])) movingShots++;
      }
    }
    expect(shotsWhileWithdrawing).toBeGreaterThan(0);
    expect(movingShots).toBeGreaterThan(0);
    expect(player(b, 'a-cap').status).toBe('retreated');
    // every unit of the player either got out or was shot down on the way
    expect(w.stats.retreated[0] + w.stats.lost[0]).toBe(mine.length);
    expect(w.stats.retreated[0]).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('scorched earth', () => {
  it('scuttles every unit: no killer, no credit to any enemy, crews still launch pods', () => {
    const b = newBattle({}, [{ name: 'Gamma', players: [{ id: 'g-sc', role: 'supreme_commander', tier: 'gold', fleet: { basic_drone: 2 } }] }]);
    const w = b.world;
    idle(b, 2);
    const mine = [...unitsOf(b, 'a-sc'), ...unitsOf(b, 'a-adm')];
    const ships = mine.filter((id) => UNIT_STATS[w.type[slotOf(w, id)]].ship);
    expect(ships).toHaveLength(2); // a corvette and a destroyer
    const value = mine.reduce((v, id) => v + w.catalog.cost[w.type[slotOf(w, id)]], 0);
    const killed = [...w.stats.killedValue];
    const lost = [...w.stats.lost];
    const lostValue = [...w.stats.lostValue];
    const o = turn(b, retreat('a-sc', 'scorched_earth'), retreat('a-adm', 'scorched_earth'));
    expect(o.results.every((r) => r.ok)).toBe(true);
    const destroyed = ofKind(o, EventKind.DESTROYED);
    expect(destroyed.map((e) => e[1]).sort()).toEqual([...mine].sort());
    for (const e of destroyed) expect([e[2], e[3]]).toEqual([-1, DestroyCause.SCUTTLED]);
    expect([...w.stats.killedValue]).toEqual(killed);
    expect(w.stats.lost[0]).toBe(lost[0] + mine.length);
    expect(w.stats.lostValue[0]).toBe(lostValue[0] + value);
    expect(w.stats.lost[1]).toBe(lost[1]);
    const pods = ofKind(o, EventKind.POD_LAUNCHED);
    expect(pods.map((e) => e[2]).sort()).toEqual([...ships].sort());
    for (const e of pods) expect(w.type[slotOf(w, e[1])]).toBe(UnitType.ESCAPE_POD);
    expect(player(b, 'a-sc').status).toBe('retreated');
    expect(player(b, 'a-adm').status).toBe('retreated');
    for (const id of mine) expect(slotOf(w, id)).toBe(-1);
  });

  it('scuttling units that were under fire still credits nobody', () => {
    const b = newBattle();
    const w = b.world;
    const mine = unitsOf(b, 'a-cap');
    const mySlots = slotsOf(b, mine);
    shift(b, teamUnits(b, 0).filter((s) => !mySlots.includes(s)), -250, 1450);
    // bring all of Beta into the fight until something of a-cap's has been hit
    const betas = teamUnits(b, 1);
    shift(b, betas, -1150, -1150);
    let hit = false;
    for (let i = 0; i < 60 && !hit; i++) hit = ofKind(idle(b, 1), EventKind.DAMAGED).some((e) => mine.includes(e[1]));
    expect(hit).toBe(true);
    const alive = mine.filter((id) => slotOf(w, id) >= 0);
    expect(alive.length).toBeGreaterThan(0);
    expect(alive.some((id) => w.hull[slotOf(w, id)] < w.catalog.hull[w.type[slotOf(w, id)]] || w.shield[slotOf(w, id)] < w.catalog.shields[w.type[slotOf(w, id)]])).toBe(true); // Beta's fire has told on them
    shift(b, teamUnits(b, 1), 1150, 1150); // Beta breaks off so the scuttle turn has no combat of its own
    const killed = [...w.stats.killedValue];
    const o = turn(b, retreat('a-cap', 'scorched_earth'));
    const destroyed = ofKind(o, EventKind.DESTROYED);
    expect(destroyed.map((e) => e[1]).sort()).toEqual([...alive].sort());
    for (const e of destroyed) expect([e[2], e[3]]).toEqual([-1, DestroyCause.SCUTTLED]);
    expect([...w.stats.killedValue]).toEqual(killed);
  });
});

// ---------------------------------------------------------------------------------------------

describe('reinforcement waves', () => {
  const loner: TeamSetup = { name: 'Loner', independent: true, players: [{ id: 'loner', role: 'supreme_commander', tier: 'gold', fleet: { corvette: 1 } }] };
  const waveEvents = (o: TurnOutcome) => o.events.filter((e): e is Extract<BattleEvent, { type: 'wave_arrived' }> => e.type === 'wave_arrived');

  it('arrive on schedule for every team with someone fighting, each bigger than the last; independents get none', () => {
    const b = newBattle({ waves: { everySeconds: 1, baseUnits: 10, growth: 0.5 }, deploySeconds: 2 }, [loner]);
    const w = b.world;
    expect(b.config.waves?.everyTurns).toBe(10);
    // a hot-joined independent gets none either
    expect(turn(b, join('rogue', { team: 'Rogues', independent: true, role: 'supreme_commander', tier: 'gold', credits: 5000, fleet: { corvette: 1 } })).results[0].ok).toBe(true);
    const counts = () => b.roster.teams.map((t) => teamUnits(b, t.index).length);
    const sizes: Record<string, number[]> = { Alpha: [], Beta: [] };
    let prev = counts();
    const waveSlots: number[][] = [];
    for (let t = 2; t <= 30; t++) {
      const before = new Set(teamUnits(b, 0).concat(teamUnits(b, 1)));
      const o = idle(b, 1);
      const now = counts();
      const waves = waveEvents(o);
      if (t % 10 === 0) {
        expect(waves.map((e) => e.team).sort()).toEqual(['Alpha', 'Beta']);
        for (const e of waves) {
          const ti = e.team === 'Alpha' ? 0 : 1;
          expect(e.wave).toBe(t / 10);
          expect(now[ti] - prev[ti]).toBe(e.units);
          sizes[e.team].push(e.units);
        }
        const fresh = teamUnits(b, 0).concat(teamUnits(b, 1)).filter((s) => !before.has(s));
        for (const s of fresh) {
          expect(w.activeAt[s]).toBeGreaterThan(w.turn); // they deploy first
          expect(w.activeAt[s]).toBe(w.turn + b.config.deployTurns);
          const team = b.roster.teams[w.team[s]];
          expect(Math.hypot(w.x[s] - team.rallyX, w.y[s] - team.rallyY)).toBeLessThan(100);
          expect(w.owner[s]).toBe(b.roster.players.find((p) => p.team === team.index && p.role === 'supreme_commander')!.index);
        }
        waveSlots.push(fresh);
      } else {
        expect(waves).toEqual([]);
        expect(now.slice(0, 2)).toEqual(prev.slice(0, 2));
      }
      expect(now[2]).toBe(1); // Loner: never reinforced
      expect(now[3]).toBe(1); // Rogues: never reinforced
      // wave units deploy deployTurns after they arrive
      if (t === 30) {
        const deployed = ofKind(o, EventKind.DEPLOYED).map((e) => slotOf(w, e[1]));
        expect(deployed.sort((x, y) => x - y)).toEqual([...waveSlots[0]].sort((x, y) => x - y));
      }
      prev = now;
    }
    expect(sizes.Alpha).toEqual([10, 15, 20]);
    expect(sizes.Beta).toEqual([10, 15, 20]);
    expect(b.roster.teams.map((t) => t.wavesSent)).toEqual([3, 3, 0, 0]);
  });

  it('a team whose players have all left gets no more waves', () => {
    const b = newBattle({ waves: { everySeconds: 1, baseUnits: 10, growth: 0.5 } });
    idle(b, 10);
    expect(b.roster.teams.map((t) => t.wavesSent)).toEqual([1, 1]);
    turn(b, retreat('b-sc', 'escape_pods'));
    const o = idle(b, 9);
    expect(o.turn).toBe(20);
    expect(waveEvents(o)).toEqual([{ type: 'wave_arrived', team: 'Alpha', wave: 2, units: 15 }]);
    expect(b.roster.teams.map((t) => t.wavesSent)).toEqual([2, 1]);
  });

  it('are off when the set-up says so', () => {
    const b = newBattle({ waves: null });
    for (let i = 0; i < 3; i++) expect(waveEvents(idle(b, 10))).toEqual([]);
    expect(b.config.waves).toBeNull();
    expect(newBattle({ waves: undefined }).config.waves).not.toBeNull(); // default schedule
  });
});

// ---------------------------------------------------------------------------------------------

describe('determinism of dynamic participation', () => {
  /** A busy script: joins, every retreat mode, an independent, waves, and a general attack. */
  function script(b: Battle, t: number, variant = 0): Command[] {
    switch (t) {
      case 1: return [join('n-cap', { team: 'Beta', role: 'captain', tier: 'silver', credits: 4000, fleet: { corvette: 1, defense_drone: 5 } })];
      case 2: return [retreat('a-cap', 'fighting_withdrawal')];
      case 4: return [retreat('a-cap2', variant === 1 ? 'fighting_withdrawal' : 'escape_pods')];
      case 6: return [retreat('a-pil', 'scorched_earth')];
      case 8: return [join('rogue', { team: 'Rogues', independent: true, role: 'supreme_commander', tier: 'gold', credits: 9000, fleet: { corvette: 2, elite_drone: 6 } })];
      case 10: return [cmd({ player: 'b-sc', kind: 'attack_move', scope: { team: true }, x: b.roster.teams[0].rallyX, y: b.roster.teams[0].rallyY })];
      case 15: return [cmd({ player: 'n-cap', kind: 'move', scope: { units: unitsOf(b, 'n-cap') }, x: 300, y: 300 })];
      case 40: return [retreat('n-cap', 'fighting_withdrawal'), join('late', { team: 'Alpha', role: 'pilot', tier: 'bronze', credits: 3000, fleet: { basic_drone: 8 } })];
      default: return [];
    }
  }

  function run(variant = 0) {
    const b = newBattle({ sector: { width: 700, height: 700 }, deploySeconds: 1, waves: { everySeconds: 2, baseUnits: 6, growth: 0.5 } });
    const hashes: string[] = [];
    const log: string[] = [];
    for (let t = 1; t <= 150; t++) {
      // fixed command ids (cmd() numbers commands process-wide; ids appear in order_received events)
      const o = turn(b, ...script(b, t, variant).map((c, i) => ({ ...c, id: `t${t}-${i}` })));
      hashes.push(o.hash);
      log.push(JSON.stringify({ results: o.results.map((r) => [r.ok, r.reason]), events: o.events, kernel: [...o.kernelEvents] }));
    }
    return { b, hashes, log };
  }

  it('the same command sequence on two fresh battles gives identical hashes and events every turn', () => {
    const a = run(), c = run();
    expect(c.hashes).toEqual(a.hashes);
    expect(c.log).toEqual(a.log);
    expect(battleHash(c.b)).toBe(battleHash(a.b));
    // the script really did all of it
    const all = a.log.join('\n');
    for (const needle of ['"joined"', '"player_active"', '"retreat_ordered"', '"player_retreated"', '"wave_arrived"']) expect(all).toContain(needle);
    const w = a.b.world;
    expect(w.teamCount).toBe(3);
    expect(w.stats.lost[0]).toBeGreaterThan(0);
    expect(w.stats.retreated[0]).toBeGreaterThan(0);
    expect(w.stats.crewSaved[0]).toBeGreaterThanOrEqual(0);
    expect(a.log.some((l) => l.includes('"ok":false') || l.includes('[false'))).toBe(false);
    expect(new Set(a.hashes).size).toBe(a.hashes.length);
  });

  it('a different retreat mode changes the hashes from that turn on', () => {
    const a = run(0), c = run(1);
    expect(c.hashes.slice(0, 3)).toEqual(a.hashes.slice(0, 3));
    expect(c.hashes[3]).not.toBe(a.hashes[3]);
  });
});
