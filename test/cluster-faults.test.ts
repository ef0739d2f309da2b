import { afterEach, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { msgToFrame, frameToMsg } from '../cluster/grpc/node-proto.js';
import type { RedisPlacement } from '../cluster/placement/redis-placement.js';
import { GrpcSectorLink } from '../gateway/link/grpc-link.js';
import { buildFrame } from '../actors/sector/frame.js';
import { generateSetup } from '../actors/sector/scenario.js';
import { createBattle } from '../actors/sector/setup.js';
import { call, startNode, type NodeProc } from './cluster-helpers.js';
import { redisPlacement, testPrefix } from './redis.js';

const nodes: NodeProc[] = [];
let placement: RedisPlacement | undefined;
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
  await placement?.clear();
  await placement?.close();
  placement = undefined;
});

const submit = (n: NodeProc, req: object) => new Promise<{ queued: boolean; notHere: boolean; resultJson: string }>((resolve, reject) =>
  n.client.submit(req, { deadline: Date.now() + 3000 }, (e, r) => (e ? reject(e) : resolve(r))));

describe('faults between gateways and nodes', () => {
  it('a peer sending garbage gets a clear refusal; the node keeps turning', async () => {
    const prefix = testPrefix();
    nodes.push(await startNode('A', prefix, ['--sector', 'f1', '--units', '200', '--teams', '2']));
    const n = nodes[0];
    const bad = await submit(n, { sector: 'f1', commandJson: '{not json' });
    expect(bad.queued).toBe(false);
    expect(JSON.parse(bad.resultJson).reason).toBe('MALFORMED');
    const shape = await submit(n, { sector: 'f1', commandJson: JSON.stringify({ id: 'x', player: 'p', kind: 'nuke' }) });
    expect(JSON.parse(shape.resultJson).reason).toBe('UNKNOWN_ORDER');
    expect((await submit(n, { sector: 'nowhere', commandJson: '{}' })).notHere).toBe(true);
    // a raw garbage HTTP/2 request to a method that does not exist
    const raw = new grpc.Client(n.address, grpc.credentials.createInsecure());
    const err = await new Promise<grpc.ServiceError>((resolve) => raw.makeUnaryRequest('/sectorwars.cluster.v1.SectorNode/Nope', (x: Buffer) => x, (x: Buffer) => x, Buffer.from([1, 2, 3]), (e) => resolve(e!)));
    expect(err.code).toBe(grpc.status.UNIMPLEMENTED);
    raw.close();
    const before = (await call<{ sectors: { turn: number }[] }>(n.client, 'status', {})).sectors[0].turn;
    await new Promise((r) => setTimeout(r, 400));
    expect((await call<{ sectors: { turn: number }[] }>(n.client, 'status', {})).sectors[0].turn).toBeGreaterThan(before);
  }, 30_000);

  it('a frame whose columns do not match its unit count is rejected, not half-read', () => {
    const b = createBattle(generateSetup({ teams: 2, units: 50, seed: 1 }));
    const m = frameToMsg(buildFrame(b, [], [], new Int32Array(0), 'h', 1, true), true);
    expect(msgToFrame(m, null).count).toBe(m.count);
    expect(() => msgToFrame({ ...m, x: m.x.subarray(0, 8) }, null)).toThrow(/frame column x/);
  });

  it('orders to a sector with no reachable node are refused with SECTOR_UNAVAILABLE after the retry window', async () => {
    placement = await redisPlacement(testPrefix());
    const link = new GrpcSectorLink(placement, 'ghost-sector', { retryForMs: 300, callTimeoutMs: 100 });
    const r = await link.submit({ id: 'p/1', player: 'p', kind: 'hold', scope: { team: true } });
    expect(r).toMatchObject({ queued: false, result: { reason: 'SECTOR_UNAVAILABLE' } });
    // a lease pointing at a node that vanished (no membership) is the same
    await placement.claim('ghost-sector', 'dead-node', 5000);
    const r2 = await link.submit({ id: 'p/2', player: 'p', kind: 'hold', scope: { team: true } });
    expect(r2).toMatchObject({ queued: false, result: { reason: 'SECTOR_UNAVAILABLE' } });
    link.stop();
  });
});
