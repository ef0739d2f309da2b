// Placement in one process (the embedded single-node default and unit tests): the same semantics
// as the Redis scripts, with expiry read from an injectable clock.

import type { Lease, NodeInfo, Placement } from './placement.js';

export class MemoryPlacement implements Placement {
  private readonly leaseMap = new Map<string, { node: string; token: number; expiresAt: number }>();
  private readonly fences = new Map<string, number>();
  private readonly nodes = new Map<string, { info: NodeInfo; expiresAt: number }>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  private live(sector: string) {
    const l = this.leaseMap.get(sector);
    if (l && l.expiresAt <= this.now()) { this.leaseMap.delete(sector); return undefined; }
    return l;
  }

  async claim(sector: string, node: string, ttlMs: number): Promise<Lease | null> {
    if (this.live(sector)) return null;
    const token = (this.fences.get(sector) ?? 0) + 1;
    this.fences.set(sector, token);
    this.leaseMap.set(sector, { node, token, expiresAt: this.now() + ttlMs });
    return { sector, node, token, ttlMs };
  }

  async renew(sector: string, node: string, token: number, ttlMs: number): Promise<Lease | null> {
    const l = this.live(sector);
    if (!l || l.node !== node || l.token !== token) return null;
    l.expiresAt = this.now() + ttlMs;
    return { sector, node, token, ttlMs };
  }

  async release(sector: string, node: string, token: number): Promise<boolean> {
    const l = this.live(sector);
    if (!l || l.node !== node || l.token !== token) return false;
    this.leaseMap.delete(sector);
    return true;
  }

  async handOff(sector: string, from: string, token: number, to: string, ttlMs: number): Promise<Lease | null> {
    const l = this.live(sector);
    if (!l || l.node !== from || l.token !== token) return null;
    const next = (this.fences.get(sector) ?? 0) + 1;
    this.fences.set(sector, next);
    this.leaseMap.set(sector, { node: to, token: next, expiresAt: this.now() + ttlMs });
    return { sector, node: to, token: next, ttlMs };
  }

  async owner(sector: string): Promise<Lease | null> {
    const l = this.live(sector);
    return l ? { sector, node: l.node, token: l.token, ttlMs: Math.max(0, l.expiresAt - this.now()) } : null;
  }

  async currentToken(sector: string): Promise<number> {
    return this.fences.get(sector) ?? 0;
  }

  async heartbeat(node: NodeInfo, ttlMs: number): Promise<boolean> {
    const prev = this.nodes.get(node.id);
    this.nodes.set(node.id, { info: node, expiresAt: this.now() + ttlMs });
    return !!prev && prev.expiresAt > this.now();
  }

  async raiseFence(sector: string, min: number): Promise<void> {
    if ((this.fences.get(sector) ?? 0) < min) this.fences.set(sector, min);
  }

  async leave(nodeId: string): Promise<void> {
    this.nodes.delete(nodeId);
  }

  async members(): Promise<NodeInfo[]> {
    const now = this.now();
    return [...this.nodes.values()].filter((n) => n.expiresAt > now).map((n) => n.info).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async leases(): Promise<Lease[]> {
    const out: Lease[] = [];
    for (const s of [...this.leaseMap.keys()].sort()) { const l = await this.owner(s); if (l) out.push(l); }
    return out;
  }

  async close(): Promise<void> {}
}
