// One contract, two adapters: the in-memory placement (fake clock) and the Redis one (real server, real time).

import { afterEach, describe, expect, it } from 'vitest';
import { MemoryPlacement } from '../cluster/placement/memory-placement.js';
import { isCurrent, type Placement } from '../cluster/placement/placement.js';
import type { RedisPlacement } from '../cluster/placement/redis-placement.js';
import { redisPlacement } from './redis.js';

interface Rig { p: Placement; advance(ms: number): Promise<void>; done(): Promise<void> }

const adapters: [string, () => Promise<Rig>][] = [
  ['memory', async () => {
    let t = 1000;
    const p = new MemoryPlacement(() => t);
    return { p, advance: async (ms) => { t += ms; }, done: async () => {} };
  }],
  ['redis', async () => {
    const p = await redisPlacement();
    return { p, advance: (ms) => new Promise((r) => setTimeout(r, ms)), done: async () => { await (p as RedisPlacement).clear(); await p.close(); } };
  }],
];

const node = (id: string) => ({ id, address: `127.0.0.1:${id.length}`, load: { sectors: 0, players: 0, units: 0, turnMs: 0 } });

for (const [name, make] of adapters) {
  describe(`placement contract: ${name}`, () => {
    let rig: Rig | undefined;
    afterEach(async () => { await rig?.done(); rig = undefined; });

    it('one claim wins; others are refused while the lease lives; tokens only grow', async () => {
      rig = await make();
      const { p } = rig;
      const a = await p.claim('s1', 'A', 300);
      expect(a?.token).toBe(1);
      expect(await p.claim('s1', 'B', 300)).toBeNull();
      expect((await p.owner('s1'))?.node).toBe('A');
      expect(await p.release('s1', 'B', 1)).toBe(false);
      expect(await p.release('s1', 'A', 1)).toBe(true);
      const b = await p.claim('s1', 'B', 300);
      expect(b?.token).toBe(2);
      expect(await p.currentToken('s1')).toBe(2);
      expect(await isCurrent(p, 's1', 1)).toBe(false); // A's old token: its writes are refused
      expect(await isCurrent(p, 's1', 2)).toBe(true);
    });

    it('a lease expires unless renewed; renewal needs the holder and its token', async () => {
      rig = await make();
      const { p } = rig;
      const a = (await p.claim('s2', 'A', 250))!;
      await rig.advance(150);
      expect(await p.renew('s2', 'A', a.token, 250)).not.toBeNull();
      expect(await p.renew('s2', 'B', a.token, 250)).toBeNull();
      expect(await p.renew('s2', 'A', a.token + 1, 250)).toBeNull();
      await rig.advance(150);
      expect(await p.claim('s2', 'B', 250)).toBeNull(); // renewed: still A's
      await rig.advance(300);
      expect(await p.owner('s2')).toBeNull();
      expect(await p.renew('s2', 'A', a.token, 250)).toBeNull(); // expired: too late to renew
      const b = await p.claim('s2', 'B', 250);
      expect(b?.token).toBe(a.token + 1);
    });

    it('hands a lease off to another node under a new token (migration)', async () => {
      rig = await make();
      const { p } = rig;
      const a = (await p.claim('s3', 'A', 500))!;
      expect(await p.handOff('s3', 'B', a.token, 'C', 500)).toBeNull();
      const c = await p.handOff('s3', 'A', a.token, 'C', 500);
      expect(c).toMatchObject({ node: 'C', token: a.token + 1 });
      expect((await p.owner('s3'))?.node).toBe('C');
      expect(await p.renew('s3', 'A', a.token, 500)).toBeNull();
      expect(await p.renew('s3', 'C', c!.token, 500)).not.toBeNull();
    });

    it('membership: heartbeats keep a node listed; it is gone a TTL after the last one', async () => {
      rig = await make();
      const { p } = rig;
      await p.heartbeat(node('n2'), 250);
      await p.heartbeat(node('n1'), 250);
      expect((await p.members()).map((n) => n.id)).toEqual(['n1', 'n2']);
      await rig.advance(150);
      await p.heartbeat(node('n1'), 250);
      await rig.advance(150);
      expect((await p.members()).map((n) => n.id)).toEqual(['n1']);
      await p.leave('n1');
      expect(await p.members()).toEqual([]);
    });

    it('lists live leases sorted', async () => {
      rig = await make();
      const { p } = rig;
      await p.claim('b', 'A', 500);
      await p.claim('a', 'B', 500);
      await p.claim('c', 'A', 100);
      await rig.advance(200);
      expect((await p.leases()).map((l) => `${l.sector}:${l.node}`)).toEqual(['a:B', 'b:A']);
    });
  });
}
