// The real Redis the cluster tests use (127.0.0.1:6379 or REDIS_URL), with a fresh key prefix per test.

import { randomUUID } from 'node:crypto';
import { RedisPlacement } from '../cluster/placement/redis-placement.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function testPrefix(): string {
  return `swtest-${randomUUID().slice(0, 8)}`;
}

export async function redisPlacement(prefix = testPrefix(), url = REDIS_URL): Promise<RedisPlacement> {
  const p = new RedisPlacement(url, prefix);
  await p.ready();
  return p;
}
