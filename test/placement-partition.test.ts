import { describe, expect, it } from 'vitest';
import { LeaseKeeper } from '../cluster/placement/lease-keeper.js';
import { RedisPlacement } from '../cluster/placement/redis-placement.js';
import { TcpProxy } from './fixtures/tcp-proxy.js';
import { redisPlacement, testPrefix } from './redis.js';

describe('a node partitioned from Redis', () => {
  it('stops turning its sectors before another node can take them, and the other node then does', async () => {
    const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    for (let attempt = 0; attempt < 3; attempt++) {
      const prefix = testPrefix();
      const proxy = new TcpProxy(url.hostname, Number(url.port || 6379));
      const port = await proxy.listen();
      const viaProxy = new RedisPlacement(`redis://127.0.0.1:${port}`, prefix, { commandTimeout: 100 });
      await viaProxy.ready();
      const direct = await redisPlacement(prefix);
      const ttl = 300;
      const keeperA = new LeaseKeeper(viaProxy, 'A', { ttlMs: ttl });
      keeperA.start();
      expect(await keeperA.claim('sector-1')).not.toBeNull();
      await new Promise((r) => setTimeout(r, 250)); // a few renewals go through
      expect(keeperA.mayRun('sector-1')).toBe(true);
      expect(await direct.claim('sector-1', 'B', ttl)).toBeNull();

      proxy.partition();
      const cutAt = performance.now();
      let stoppedAt = 0, claimedAt = 0;
      while (performance.now() - cutAt < 3 * ttl && (!stoppedAt || !claimedAt)) {
        if (!stoppedAt && !keeperA.mayRun('sector-1')) stoppedAt = performance.now();
        if (!claimedAt && (await direct.claim('sector-1', 'B', ttl))) claimedAt = performance.now();
        await new Promise((r) => setTimeout(r, 2));
      }
      expect(stoppedAt).toBeGreaterThan(0);
      expect(claimedAt).toBeGreaterThan(0);
      expect(stoppedAt).toBeLessThan(claimedAt); // never two nodes running it at once
      expect(await direct.currentToken('sector-1')).toBe(2); // B's writes carry the newer token
      keeperA.stop();
      await direct.clear();
      await Promise.all([direct.close(), viaProxy.close(), proxy.close()]);
    }
  }, 30_000);
});
