// Placement on Redis: every atomic step is a Lua script (cluster/placement/lua/*.lua, each with a
// header naming its keys, arguments and result). Lease expiry is Redis' own key expiry, so it does
// not depend on any node's clock.

import { readFileSync } from 'node:fs';
import { Redis, type RedisOptions } from 'ioredis';
import type { Lease, NodeInfo, Placement } from './placement.js';

const script = (name: string) => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');

type Scripted = Redis & {
  swClaim(lease: string, fence: string, index: string, node: string, ttl: number, sector: string): Promise<number>;
  swRenew(lease: string, node: string, token: number, ttl: number): Promise<number>;
  swRelease(lease: string, index: string, node: string, token: number, sector: string): Promise<number>;
  swHandoff(lease: string, fence: string, from: string, token: number, to: string, ttl: number): Promise<number>;
  swHeartbeat(node: string, index: string, id: string, info: string, ttl: number): Promise<number>;
  swRaiseFence(fence: string, min: number): Promise<number>;
};

export class RedisPlacement implements Placement {
  private readonly r: Scripted;

  /** `prefix` namespaces every key (one cluster per prefix; tests use their own). */
  constructor(url: string, private readonly prefix = 'sw', options: RedisOptions = {}) {
    this.r = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, ...options }) as Scripted;
    this.r.on('error', () => { /* reported through the failing calls; ioredis keeps reconnecting */ });
    this.r.defineCommand('swClaim', { numberOfKeys: 3, lua: script('claim') });
    this.r.defineCommand('swRenew', { numberOfKeys: 1, lua: script('renew') });
    this.r.defineCommand('swRelease', { numberOfKeys: 2, lua: script('release') });
    this.r.defineCommand('swHandoff', { numberOfKeys: 2, lua: script('handoff') });
    this.r.defineCommand('swHeartbeat', { numberOfKeys: 2, lua: script('heartbeat') });
    this.r.defineCommand('swRaiseFence', { numberOfKeys: 1, lua: script('raise-fence') });
  }

  private k(kind: string, id = ''): string {
    return `${this.prefix}:${kind}${id ? `:{${id}}` : ''}`;
  }

  async ready(): Promise<void> {
    if (this.r.status !== 'ready') await new Promise<void>((resolve, reject) => { this.r.once('ready', resolve); this.r.once('end', () => reject(new Error('redis connection ended'))); });
  }

  async claim(sector: string, node: string, ttlMs: number): Promise<Lease | null> {
    const token = Number(await this.r.swClaim(this.k('lease', sector), this.k('fence', sector), this.k('leased'), node, ttlMs, sector));
    return token > 0 ? { sector, node, token, ttlMs } : null;
  }

  async renew(sector: string, node: string, token: number, ttlMs: number): Promise<Lease | null> {
    return Number(await this.r.swRenew(this.k('lease', sector), node, token, ttlMs)) === 1 ? { sector, node, token, ttlMs } : null;
  }

  async release(sector: string, node: string, token: number): Promise<boolean> {
    return Number(await this.r.swRelease(this.k('lease', sector), this.k('leased'), node, token, sector)) === 1;
  }

  async handOff(sector: string, from: string, token: number, to: string, ttlMs: number): Promise<Lease | null> {
    const t = Number(await this.r.swHandoff(this.k('lease', sector), this.k('fence', sector), from, token, to, ttlMs));
    return t > 0 ? { sector, node: to, token: t, ttlMs } : null;
  }

  async owner(sector: string): Promise<Lease | null> {
    const [h, ttl] = await Promise.all([this.r.hgetall(this.k('lease', sector)), this.r.pttl(this.k('lease', sector))]);
    if (!h.node || ttl < 0) return null;
    return { sector, node: h.node, token: Number(h.token), ttlMs: ttl };
  }

  async currentToken(sector: string): Promise<number> {
    return Number((await this.r.get(this.k('fence', sector))) ?? 0);
  }

  async heartbeat(node: NodeInfo, ttlMs: number): Promise<boolean> {
    return Number(await this.r.swHeartbeat(this.k('node', node.id), this.k('nodes'), node.id, JSON.stringify(node), ttlMs)) === 1;
  }

  async raiseFence(sector: string, min: number): Promise<void> {
    await this.r.swRaiseFence(this.k('fence', sector), min);
  }

  async leave(nodeId: string): Promise<void> {
    await this.r.multi().del(this.k('node', nodeId)).srem(this.k('nodes'), nodeId).exec();
  }

  async members(): Promise<NodeInfo[]> {
    const ids = (await this.r.smembers(this.k('nodes'))).sort();
    if (ids.length === 0) return [];
    const infos = await this.r.mget(...ids.map((id) => this.k('node', id)));
    const gone = ids.filter((_, i) => infos[i] === null);
    if (gone.length > 0) await this.r.srem(this.k('nodes'), ...gone); // expired members leave the index
    return infos.filter((x): x is string => x !== null).map((x) => JSON.parse(x) as NodeInfo);
  }

  async leases(): Promise<Lease[]> {
    const sectors = (await this.r.smembers(this.k('leased'))).sort();
    const out: Lease[] = [];
    for (const s of sectors) {
      const l = await this.owner(s);
      if (l) out.push(l); else await this.r.srem(this.k('leased'), s);
    }
    return out;
  }

  async close(): Promise<void> {
    this.r.disconnect();
  }

  /** Test and operator helper: deletes every key of this prefix. */
  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.r.scan(cursor, 'MATCH', `${this.prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await this.r.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}
