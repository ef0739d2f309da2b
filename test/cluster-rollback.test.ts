import { afterEach, describe, expect, it } from 'vitest';
import { replay } from '../actors/sector/replay.js';
import { generateSetup } from '../actors/sector/scenario.js';
import type { RedisPlacement } from '../cluster/placement/redis-placement.js';
import type { PgStore } from '../cluster/store/pg-store.js';
import { call, startNode, type NodeProc } from './cluster-helpers.js';
import { DATABASE_URL, pgStore } from './pg.js';
import { redisPlacement, testPrefix } from './redis.js';

const nodes: NodeProc[] = [];
let placement: RedisPlacement | undefined, store: PgStore | undefined;
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
  await placement?.clear(); await placement?.close();
  await store?.drop(); await store?.close();
});

type Status = { sectors: { sector: string; turn: number; token: number }[] };

describe('operator rollback', () => {
  it('rolls a sector back to a past turn: the state of that turn, a new epoch, later history discarded', async () => {
    const prefix = testPrefix();
    const schema = `swtest_${prefix.replace(/-/g, '_')}`;
    store = await pgStore(schema);
    nodes.push(await startNode('A', prefix, ['--sector', 'rb', '--units', '400', '--teams', '2', '--seed', '23', '--tps', '20', '--database', DATABASE_URL, '--schema', schema, '--snapshot-every', '1']));
    placement = await redisPlacement(prefix);
    const n = nodes[0];
    const setup = generateSetup({ teams: 2, units: 400, seed: 23, turnsPerSecond: 20 });
    setup.battleId = 'rb';
    const sc = setup.teams[0].players[0].id;
    const order = (id: string, stance: string) => new Promise((res, rej) => n.client.submit({ sector: 'rb', commandJson: JSON.stringify({ id, player: sc, kind: 'stance', scope: { team: true }, stance }) }, { deadline: Date.now() + 3000 }, (e, v) => (e ? rej(e) : res(v))));
    let st = (await call<Status>(n.client, 'status', {})).sectors[0];
    const waitTurn = async (t: number) => { while (st.turn < t) { await new Promise((r) => setTimeout(r, 50)); st = (await call<Status>(n.client, 'status', {})).sectors[0]; } };
    await waitTurn(15);
    await order('early', 'defensive'); // applied before turn 40: kept
    await waitTurn(50);
    await order('late', 'balanced'); // applied after turn 40: discarded by the rollback
    await waitTurn(70);
    const before = await store.turnsAfter('rb', 0);
    expect(before.map((t) => t.commands[0].id)).toEqual(['early', 'late']);
    const bad = await call<{ ok: boolean; error: string }>(n.client, 'rollback', { sector: 'rb', turn: 100_000 });
    expect(bad.ok).toBe(false);
    const r = await call<{ ok: boolean; turn: number; hash: string; error: string }>(n.client, 'rollback', { sector: 'rb', turn: 40 });
    expect(r.error).toBe('');
    expect(r.ok).toBe(true);
    const log = await store.turnsAfter('rb', 0);
    expect(log.map((t) => t.commands[0].id)).toEqual(['early']); // later history discarded
    expect(r.hash).toBe(replay(setup, log, 40).hashes[39]); // exactly the state of turn 40
    const after = (await call<Status>(n.client, 'status', {})).sectors[0];
    expect(after.token).toBeGreaterThan(st.token); // a new epoch
    expect(after.turn).toBeLessThan(st.turn + 5);
    await new Promise((r2) => setTimeout(r2, 500));
    expect((await call<Status>(n.client, 'status', {})).sectors[0].turn).toBeGreaterThan(40); // and it runs on
  }, 60_000);
});
