import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import type { Command } from '../actors/model/commands.js';
import type { LogEntry } from '../actors/sector/replay.js';
import { replay } from '../actors/sector/replay.js';
import { generateSetup } from '../actors/sector/scenario.js';
import type { CommandResult } from '../actors/sector/turn.js';
import type { RosterView } from '../actors/sector/frame.js';
import type { RedisPlacement } from '../cluster/placement/redis-placement.js';
import { GrpcSectorLink } from '../gateway/link/grpc-link.js';
import { createBattle } from '../actors/sector/setup.js';
import { serializeBattle } from '../actors/sector/snapshot.js';
import { call, startNode, until, type NodeProc } from './cluster-helpers.js';
import { redisPlacement, testPrefix } from './redis.js';

interface Status {
  node: string;
  sectors: { sector: string; turn: number; activePlayers: number; overflowNodes: string[] }[];
  overflow: { sector: string; primary: string; teams: number[]; turn: number; orders: number }[];
}

const nodes: NodeProc[] = [];
let link: GrpcSectorLink | undefined;
let placement: RedisPlacement | undefined;
afterEach(async () => {
  link?.stop();
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
  await placement?.clear();
  await placement?.close();
  link = undefined; placement = undefined;
});


describe('overflow: a crowded sector spreads its teams over more nodes (real Redis, node processes, gRPC)', () => {
  it('spreads past 100 players, takes orders on the overflow node, consolidates below the low-water mark, survives an overflow node dying; hashes as a replay', async () => {
    const prefix = testPrefix();
    const sector = 'battle-ovf';
    // 4 teams of 24 players (96, 480 units a side: joining stays under gold's 500-unit side limit): five joins take it past 100
    const shape = ['--teams', '4', '--units', '1920', '--units-per-player', '20', '--seed', '21', '--tps', '20'];
    const fast = ['--overflow-cooldown', '300', '--overflow-deadline', '1000', '--heartbeat', '300'];
    nodes.push(await startNode('B', prefix, fast), await startNode('C', prefix, fast));
    nodes.push(await startNode('A', prefix, ['--sector', sector, ...shape, ...fast]));
    const [B, C, A] = nodes;
    onTestFailed(() => { for (const n of [A, B, C]) console.error(`── node ${n.id}\n${n.stderr.slice(-15).join('\n')}`); });
    placement = await redisPlacement(prefix);
    link = new GrpcSectorLink(placement, sector);
    await link.start();
    const setup = generateSetup({ teams: 4, units: 1920, unitsPerPlayer: 20, seed: 21, turnsPerSecond: 20 });
    setup.battleId = sector;

    const hashes = new Map<number, string>();
    const results = new Map<string, CommandResult>();
    let roster: RosterView | null = null;
    let turn = 0;
    link.subscribe((f) => {
      hashes.set(f.turn, f.hash);
      turn = Math.max(turn, f.turn);
      if (f.roster) roster = f.roster;
      for (const r of f.results) results.set(r.id, r);
    });
    const status = (n: NodeProc) => call<Status>(n.client, 'status', {});
    const primary = async () => (await status(A)).sectors.find((s) => s.sector === sector);
    const submit = async (cmd: Record<string, unknown>) => {
      const r = await link!.submit(cmd as unknown as Command);
      expect(r.queued, JSON.stringify(r)).toBe(true);
      return cmd.id as string;
    };
    const answered = (ids: string[]) => until(`results for ${ids.join(', ')}`, async () => ids.every((id) => results.has(id)));
    const join = (n: number, from: number) => Promise.all(Array.from({ length: n }, (_, i) => submit({
      id: `join-${from + i}`, player: `reinforcement-${from + i}`, kind: 'join', team: setup.teams[(from + i) % 4].name, role: 'pilot', tier: 'gold', credits: 100_000, fleet: { basic_drone: 1 },
    })));
    await until('first frames', async () => turn > 5);
    expect((await primary())!.activePlayers).toBe(96);
    expect((await primary())!.overflowNodes).toEqual([]);

    // ── past 100 players: some teams' actors move to one other node (101 players need two nodes)
    const joined = await join(5, 0);
    await answered(joined);
    for (const id of joined) expect(results.get(id), JSON.stringify(results.get(id))).toMatchObject({ ok: true });
    const spread = await until('the sector to spread', async () => { const p = await primary(); return p && p.overflowNodes.length === 1 && p; });
    expect(spread.activePlayers).toBe(101);
    const away = nodes.find((n) => n.id === spread.overflowNodes[0])!;
    const replica = (await status(away)).overflow.find((o) => o.sector === sector)!;
    expect(replica.primary).toBe('A');
    expect(replica.teams.length).toBeGreaterThan(0);
    expect(replica.teams.length).toBeLessThan(4);

    // ── orders of a team whose actors run on the overflow node: verdicts and plans come from there
    const t = replica.teams[0];
    const players = setup.teams[t].players;
    const sc = players.find((p) => p.role === 'supreme_commander')!, pilot = players.find((p) => p.role === 'pilot')!, captain = players.find((p) => p.role === 'captain')!;
    const view = roster as RosterView | null;
    const captainIndex = view!.players.findIndex((p) => p.id === captain.id);
    const squadron = view!.squadrons.find((q) => q.team === t && q.captain === captainIndex)!;
    const before = replica.orders;
    const sent = [
      await submit({ id: 'sc-attack', player: sc.id, kind: 'attack_move', scope: { team: true }, x: 2000, y: 2000 }),
      await submit({ id: 'pilot-overreach', player: pilot.id, kind: 'move', scope: { team: true }, x: 100, y: 100 }),
      await submit({ id: 'captain-move', player: captain.id, kind: 'move', scope: { squadron: squadron.id }, x: 1500, y: 900 }),
      await submit({ id: 'pilot-ghost', player: pilot.id, kind: 'move', scope: { units: [999_999] }, x: 100, y: 100 }),
    ];
    await answered(sent);
    expect(results.get('sc-attack')!.ok).toBe(true);
    expect(results.get('captain-move')!.ok).toBe(true);
    expect(results.get('pilot-overreach')!.reason).toBe('NO_AUTHORITY');
    expect(results.get('pilot-ghost')!.reason).toBe('UNKNOWN_UNIT');
    const served = (await status(away)).overflow.find((o) => o.sector === sector)!;
    expect(served.orders - before).toBeGreaterThanOrEqual(sent.length);

    // ── below the low-water mark (80): every team comes home
    const leavers = setup.teams.flatMap((team) => team.players.filter((p) => p.role === 'pilot').slice(0, 6)).slice(0, 22);
    await answered(await Promise.all(leavers.map((p, i) => submit({ id: `retreat-${i}`, player: p.id, kind: 'retreat', mode: 'escape_pods' }))));
    const home = await until('consolidation', async () => { const p = await primary(); return p && p.overflowNodes.length === 0 && p; });
    expect(home.activePlayers).toBe(79);
    await until('the overflow node to drop its replica', async () => (await status(away)).overflow.length === 0);

    // ── spread again, then the overflow node dies: the primary serves its teams and spreads onto the survivor
    await answered(await join(25, 5));
    const again = await until('the second spread', async () => { const p = await primary(); return p && p.overflowNodes.length === 1 && p; });
    const victim = nodes.find((n) => n.id === again.overflowNodes[0])!;
    const survivor = victim === B ? C : B;
    const killedAt = turn;
    victim.proc.kill('SIGKILL');
    const moves: string[] = [];
    for (let i = 0; i < 10; i++) moves.push(await submit({ id: `after-kill-${i}`, player: setup.teams[i % 4].players[0].id, kind: 'attack_move', scope: { team: true }, x: 1000 + i * 50, y: 1000 }));
    await answered(moves);
    for (const id of moves) expect(results.get(id)!.ok, id).toBe(true);
    await until('a spread onto the surviving node', async () => { const p = await primary(); return p && p.overflowNodes.length === 1 && p.overflowNodes[0] === survivor.id && p; }, 30_000);
    expect(turn).toBeGreaterThan(killedAt);
    const onSurvivor = (await status(survivor)).overflow.find((o) => o.sector === sector)!;
    expect(onSurvivor.teams.length).toBeGreaterThan(0);
    const late = await Promise.all(onSurvivor.teams.map((team) => submit({ id: `late-${team}`, player: setup.teams[team].players[0].id, kind: 'stance', scope: { team: true }, stance: 'defensive' })));
    await answered(late);
    for (const id of late) expect(results.get(id), JSON.stringify(results.get(id))).toMatchObject({ ok: true });
    const settled = turn + 20;
    await until(`turn ${settled}`, async () => turn > settled);

    // ── the battle's hashes are those of a plain replay of its log: where intake ran changed nothing
    const last = turn;
    const log = JSON.parse((await call<{ entriesJson: string }>(A.client, 'commandLog', { sector })).entriesJson) as LogEntry[];
    const { hashes: replayed } = replay(setup, log, last);
    let compared = 0;
    for (const [k, h] of hashes) if (k <= last) { expect(h, `turn ${k}`).toBe(replayed[k - 1]); compared++; }
    expect(compared).toBeGreaterThan(40);

    // ── a migration brings every team home first, even onto the node that was serving some of them
    const moved = await call<{ ok: boolean; error: string }>(A.client, 'migrateSector', { sector, toNode: survivor.id });
    expect(moved, JSON.stringify(moved)).toMatchObject({ ok: true });
    expect((await status(A)).sectors.find((s) => s.sector === sector)).toBeUndefined();
    const after = (await status(survivor));
    expect(after.overflow.find((o) => o.sector === sector)).toBeUndefined(); // detached at once, not left to idle out
    expect(after.sectors.find((s) => s.sector === sector)).toBeDefined();
    const resumedAt = turn;
    await until('turns on the new owner', async () => turn > resumedAt + 5);
  }, 120_000);

  it('an overflow node refuses garbage, stale primaries and orders for teams it does not run, and keeps serving', async () => {
    const prefix = testPrefix();
    nodes.push(await startNode('B', prefix));
    const [B] = nodes;
    type Reply = { ok: boolean; error: string; verdicts?: unknown[] };
    const attach = (req: object) => call<Reply>(B.client, 'attachOverflow', req);
    const turnOf = (req: object) => call<Reply>(B.client, 'overflowTurn', req);

    expect((await attach({ sector: 's', token: 5, state: Buffer.from('not a battle'), teams: [0], primary: 'A' })).error).toMatch(/cannot attach/);
    expect((await turnOf({ sector: 's', token: 5, turn: 1 })).error).toMatch(/no overflow replica/);

    const battle = createBattle(generateSetup({ teams: 2, units: 200, seed: 3 }));
    const state = Buffer.from(serializeBattle(battle));
    expect((await attach({ sector: 's', token: 5, state, teams: [9], primary: 'A' })).error).toMatch(/no team 9/);
    expect((await attach({ sector: 's', token: 5, state, teams: [1], primary: 'A' })).ok).toBe(true);
    expect((await attach({ sector: 's', token: 4, state, teams: [1], primary: 'old' })).error).toMatch(/older/); // a stale primary
    expect((await turnOf({ sector: 's', token: 4, turn: 1 })).error).toMatch(/not the replica's/);
    const foreign = { index: 0, team: 0, commandJson: JSON.stringify({ id: 'x', player: 'alpha-sc-0', kind: 'hold', scope: { team: true } }) };
    expect((await turnOf({ sector: 's', token: 5, turn: 1, orders: [foreign] })).error).toMatch(/does not run here/);
    expect((await status(B)).overflow).toEqual([]); // a replica that failed a turn is dropped: the primary re-attaches

    expect((await attach({ sector: 's', token: 6, state, teams: [1], primary: 'A' })).ok).toBe(true);
    const garbage = await turnOf({ sector: 's', token: 6, turn: 1, orders: [{ index: 0, team: 1, commandJson: '{not json' }] });
    expect(garbage.ok).toBe(false);
    const beta = setupTeamPlayer(1);
    expect((await attach({ sector: 's', token: 7, state, teams: [1], primary: 'A' })).ok).toBe(true);
    const good = await turnOf({ sector: 's', token: 7, turn: 1, orders: [{ index: 3, team: 1, commandJson: JSON.stringify({ id: 'y', player: beta, kind: 'hold', scope: { team: true } }) }] });
    expect(good.ok).toBe(true);
    expect(good.verdicts).toMatchObject([{ index: 3, ok: true }]);
    expect(B.proc.exitCode).toBeNull();

    function setupTeamPlayer(team: number): string { return battle.roster.players.find((p) => p.team === team && p.role === 'supreme_commander')!.id; }
    async function status(n: NodeProc) { return call<Status>(n.client, 'status', {}); }
  });
});
