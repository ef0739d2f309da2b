// SectorLink over gRPC: finds the sector's node in the placement directory, streams its turns, and
// sends orders with a deadline, retrying with backoff. When the sector moves (migration, a node lost)
// the stream ends or a call says not_here; the link looks the sector up again and carries on, so the
// gateway's clients keep their sessions.

import type * as grpc from '@grpc/grpc-js';
import type { Command } from '../../actors/model/commands.js';
import type { TurnFrame } from '../../actors/sector/frame.js';
import type { SubmitResult } from '../../actors/sector/sector-actor.js';
import { nodeClient, type NodeClient } from '../../cluster/grpc/clients.js';
import { msgToFrame, type FrameMsg } from '../../cluster/grpc/node-proto.js';
import type { Placement } from '../../cluster/placement/placement.js';
import type { SectorLink } from './sector-link.js';

export interface GrpcLinkOptions {
  callTimeoutMs?: number;
  retryForMs?: number; // how long an order keeps being retried while the sector has no reachable node
  log?: { warn(o: object, m?: string): void };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class GrpcSectorLink implements SectorLink {
  private readonly listeners = new Set<(f: TurnFrame) => void>();
  private readonly clients = new Map<string, NodeClient>();
  private last: TurnFrame | null = null;
  private roster: TurnFrame['roster'] = null;
  private stream: grpc.ClientReadableStream<unknown> | null = null;
  private stopped = false;
  private ownerAddress: string | null = null;

  constructor(private readonly placement: Placement, readonly battleId: string, private readonly o: GrpcLinkOptions = {}) {}

  /** Starts following the sector's turns (resolves once the first stream is open). */
  async start(): Promise<void> {
    await this.follow();
  }

  stop(): void {
    this.stopped = true;
    this.stream?.cancel();
    for (const c of this.clients.values()) c.close();
  }

  latest(): TurnFrame | null {
    return this.last;
  }

  subscribe(listener: (frame: TurnFrame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private client(address: string): NodeClient {
    let c = this.clients.get(address);
    if (!c) this.clients.set(address, (c = nodeClient(address)));
    return c;
  }

  private async resolve(): Promise<string | null> {
    const lease = await this.placement.owner(this.battleId);
    if (!lease) return null;
    const node = (await this.placement.members()).find((m) => m.id === lease.node);
    return node ? node.address : null;
  }

  private async follow(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      const address = await this.resolve().catch(() => null);
      if (address) {
        this.ownerAddress = address;
        const stream = this.client(address).subscribe({ sector: this.battleId, fromTurn: this.last ? this.last.turn + 1 : 0, epoch: this.last ? this.last.epoch : 0 });
        this.stream = stream;
        stream.on('data', (m: FrameMsg) => {
          try {
            const f = msgToFrame(m, this.roster);
            this.roster = f.roster;
            // a stale stream's late frame — unless a new owner took over: its timeline restarts at the turn it recovered to
            if (this.last && f.turn <= this.last.turn && f.epoch === this.last.epoch) return;
            this.last = f;
            for (const l of this.listeners) l(f);
          } catch (err) {
            this.o.log?.warn({ err: String(err) }, 'bad frame from node: dropped');
          }
        });
        const ended = () => { if (this.stream === stream) { this.stream = null; if (!this.stopped) setTimeout(() => void this.follow(), 20); } };
        stream.on('end', ended);
        stream.on('error', ended);
        return;
      }
      await sleep(Math.min(500, 20 * 2 ** attempt));
    }
  }

  async submit(command: Command): Promise<SubmitResult> {
    const deadline = Date.now() + (this.o.retryForMs ?? 8000);
    for (let attempt = 0; ; attempt++) {
      const address = this.ownerAddress && attempt === 0 ? this.ownerAddress : await this.resolve().catch(() => null);
      if (address) {
        this.ownerAddress = address;
        try {
          const r = await new Promise<{ queued: boolean; turn: number; resultJson: string; notHere: boolean }>((resolve, reject) =>
            this.client(address).submit({ sector: this.battleId, commandJson: JSON.stringify(command) }, { deadline: Date.now() + (this.o.callTimeoutMs ?? 1000) }, (err, res) => (err ? reject(err) : resolve(res))));
          if (r.queued) return { queued: true, turn: r.turn };
          if (!r.notHere) return { queued: false, result: JSON.parse(r.resultJson) };
        } catch { /* unreachable or timed out: retry (the sector drops a repeated id) */ }
      }
      if (Date.now() > deadline) return { queued: false, result: { id: command.id, player: command.player, ok: false, reason: 'SECTOR_UNAVAILABLE', message: 'the sector is unreachable; try again' } };
      await sleep(Math.min(400, 10 * 2 ** attempt));
    }
  }
}
