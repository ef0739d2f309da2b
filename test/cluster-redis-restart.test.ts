import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RedisPlacement } from '../cluster/placement/redis-placement.js';
import type { PgStore } from '../cluster/store/pg-store.js';
import { call, startNode, type NodeProc } from './cluster-helpers.js';
import { DATABASE_URL, pgStore } from './pg.js';
import { redisPlacement, testPrefix } from './redis.js';

// A Redis server of this test's own (no persistence, like the shared one), so it can really be restarted
// without disturbing the other tests.
async function freePort(): Promise<number> {
  return new Promise((r) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => r(p)); }); });
}
async function startRedis(port: number): Promise<ChildProcess> {
  const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((r) => { const s = connect(port, '127.0.0.1'); s.once('connect', () => { s.destroy(); r(true); }); s.once('error', () => r(false)); });
    if (up) return p;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('redis-server did not start');
}
let redis: ChildProcess | undefined;

const nodes: NodeProc[] = [];
let placement: RedisPlacement | undefined, store: PgStore | undefined;
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
  await placement?.close();
  redis?.kill('SIGKILL');
  await store?.drop(); await store?.close();
});

type Status = { sectors: { sector: string; turn: number; token: number }[] };

describe('Redis restarted (it keeps nothing on disk, so its data is gone)', () => {
  it('nodes re-register, the sector runs again from the store, and never on two nodes at once', async () => {
    const prefix = testPrefix();
    const port = await freePort();
    redis = await startRedis(port);
    const redisUrl = `redis://127.0.0.1:${port}`;
    const schema = `swtest_${prefix.replace(/-/g, '_')}`;
    store = await pgStore(schema);
    const common = ['--database', DATABASE_URL, '--schema', schema, '--lease-ttl', '3000', '--heartbeat', '250', '--tps', '20', '--redis', redisUrl];
    nodes.push(await startNode('A', prefix, ['--sector', 'rr', '--units', '400', '--teams', '2', ...common]));
    nodes.push(await startNode('B', prefix, common));
    placement = await redisPlacement(prefix, redisUrl);
    await new Promise((r) => setTimeout(r, 1000));
    const before = (await call<Status>(nodes[0].client, 'status', {})).sectors[0];
    expect(before.sector).toBe('rr');

    // restart the server: everything the directory held is gone
    const old = redis;
    await new Promise<void>((r) => { old.once('exit', () => r()); old.kill('SIGKILL'); });
    redis = await startRedis(port);
    const seen: { t: number; a: boolean; b: boolean; turn: number; token: number }[] = [];
    const start = performance.now();
    while (performance.now() - start < 12000) {
      const [a, b] = await Promise.all(nodes.map((n) => call<Status>(n.client, 'status', {}, 1000)));
      const sa = a.sectors.find((s) => s.sector === 'rr'), sb = b.sectors.find((s) => s.sector === 'rr');
      seen.push({ t: performance.now() - start, a: !!sa, b: !!sb, turn: (sa ?? sb)?.turn ?? 0, token: (sa ?? sb)?.token ?? 0 });
      if (seen.length > 5 && (sa || sb) && (sa ?? sb)!.token > before.token && seen[seen.length - 1].turn > before.turn + 20) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen.filter((x) => x.a && x.b)).toEqual([]); // never two activations
    const last = seen[seen.length - 1];
    expect(last.a || last.b).toBe(true); // running again
    expect(last.token).toBeGreaterThan(before.token); // under a newer fencing token than any that wrote before
    expect(last.turn).toBeGreaterThan(before.turn); // from the store, not from scratch
    expect((await placement.members()).map((m) => m.id)).toEqual(['A', 'B']); // both re-registered
  }, 60_000);
});
