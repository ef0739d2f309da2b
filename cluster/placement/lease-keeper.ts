// Keeps a node's leases alive and says, at every moment, whether the node may still turn a sector.
// A lease renewed at time t (sent before the reply) is safe until t + ttl − margin by the node's own
// clock: Redis expires it no earlier than ttl after it processed the renewal, which was after t. So a
// node cut off from Redis stops turning before anyone else can claim — no sector ever runs twice.

import type { Lease, Placement } from './placement.js';

export interface KeeperOptions {
  ttlMs: number;
  renewEveryMs?: number; // default ttl / 3
  marginMs?: number; // safety for clock-rate drift and scheduling delay; default ttl / 10
  now?: () => number;
  onLost?: (sector: string, why: string) => void;
}

interface Held { lease: Lease; safeUntil: number }

export class LeaseKeeper {
  private readonly held = new Map<string, Held>();
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  private readonly renewEvery: number;
  private readonly margin: number;

  constructor(private readonly placement: Placement, private readonly node: string, private readonly o: KeeperOptions) {
    this.now = o.now ?? (() => performance.now());
    this.renewEvery = o.renewEveryMs ?? Math.floor(o.ttlMs / 3);
    this.margin = o.marginMs ?? Math.floor(o.ttlMs / 10);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.renewAll(), this.renewEvery);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Claims the sector; true when this node now holds it. */
  async claim(sector: string): Promise<Lease | null> {
    const sent = this.now();
    const lease = await this.placement.claim(sector, this.node, this.o.ttlMs);
    if (lease) this.held.set(sector, { lease, safeUntil: sent + this.o.ttlMs - this.margin });
    return lease;
  }

  /** Takes over a lease handed to this node (migration target). */
  adopt(lease: Lease, sentAt: number): void {
    this.held.set(lease.sector, { lease, safeUntil: sentAt + lease.ttlMs - this.margin });
  }

  /** True while this node may run the sector's turns. */
  mayRun(sector: string): boolean {
    const h = this.held.get(sector);
    return !!h && this.now() < h.safeUntil;
  }

  token(sector: string): number {
    return this.held.get(sector)?.lease.token ?? 0;
  }

  lease(sector: string): Lease | undefined {
    return this.held.get(sector)?.lease;
  }

  sectors(): string[] {
    return [...this.held.keys()].sort();
  }

  async release(sector: string): Promise<void> {
    const h = this.held.get(sector);
    this.held.delete(sector);
    if (h) await this.placement.release(sector, this.node, h.lease.token).catch(() => false);
  }

  /** Forget a sector without touching Redis (handed off elsewhere). */
  forget(sector: string): void {
    this.held.delete(sector);
  }

  async renewAll(): Promise<void> {
    await Promise.all([...this.held].map(async ([sector, h]) => {
      const sent = this.now();
      try {
        const ok = await this.placement.renew(sector, this.node, h.lease.token, this.o.ttlMs);
        if (ok) { if (this.held.get(sector) === h) h.safeUntil = sent + this.o.ttlMs - this.margin; return; }
        this.held.delete(sector);
        this.o.onLost?.(sector, 'lease taken over or expired');
      } catch (err) {
        // unreachable placement: keep running until safeUntil, then mayRun() turns false by itself
        if (this.now() >= h.safeUntil) { this.held.delete(sector); this.o.onLost?.(sector, `placement unreachable: ${(err as Error).message}`); }
      }
    }));
  }
}
