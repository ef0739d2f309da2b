// One sector running on this node: its battle, its SectorActor and turn loop, gated by the lease,
// and the gRPC streams of gateways subscribed to its turns.

import type * as grpc from '@grpc/grpc-js';
import type { ActorRef, ActorSystem } from '../../actors/runtime.js';
import type { Battle } from '../../actors/sector/battle.js';
import type { TurnFrame } from '../../actors/sector/frame.js';
import { InMemoryCommandLog, type CommandLog } from '../../actors/sector/command-log.js';
import { SectorLoop } from '../../actors/sector/loop.js';
import { percentile } from '../../actors/sector/simulate.js';
import { spawnSector, type SectorMsg, type SectorSeed } from '../../actors/sector/sector-actor.js';
import { LocalSectorLink } from '../../gateway/link/sector-link.js';
import { frameToMsg, type FrameMsg } from '../grpc/node-proto.js';
import type { LeaseKeeper } from '../placement/lease-keeper.js';
import type { OverflowPrimary } from '../overflow/primary.js';

export type Phase = 'running' | 'migrating' | 'gone';
const RECENT_FRAMES = 200;
const RECENT_COSTS = 300; // 30 s at 10 turns/s

export class HostedSector {
  readonly sector: ActorRef<SectorMsg>;
  readonly link: LocalSectorLink;
  readonly loop: SectorLoop;
  readonly log: CommandLog;
  readonly streams = new Set<{ call: grpc.ServerWritableStream<unknown, FrameMsg>; sentRoster: boolean }>();
  /** The last frames, for subscribers that ask to start from an earlier turn. */
  readonly recent: TurnFrame[] = [];
  phase: Phase = 'running';
  readonly startedAt: number;
  readonly epoch: () => number;
  /** A newer owner has written for this sector: this node must not run it any more. */
  fenced = false;
  lastTurnMs = 0;
  /** Recent turn costs (ms), oldest first: the status' percentiles. */
  readonly turnCosts: number[] = [];
  lastTurnEndedAt = 0;
  private rosterRef: unknown = null;

  constructor(readonly id: string, readonly battle: Battle, system: ActorSystem, keeper: LeaseKeeper, seed: SectorSeed = {}, onLost?: () => void, log?: CommandLog, private readonly onTurnDone?: (h: HostedSector) => void, readonly overflow?: OverflowPrimary) {
    this.log = log ?? new InMemoryCommandLog();
    this.sector = spawnSector(system, battle, this.log, seed, overflow);
    this.startedAt = battle.world.turn;
    this.epoch = () => keeper.token(id);
    this.link = new LocalSectorLink(system, this.sector, battle, () => ({ epoch: this.epoch(), startedAt: this.startedAt }));
    this.loop = new SectorLoop(system, this.sector, battle.config.turnsPerSecond, undefined, {}, (_t, cost) => {
      this.lastTurnMs = cost;
      this.turnCosts.push(cost);
      if (this.turnCosts.length > RECENT_COSTS) this.turnCosts.shift();
      this.lastTurnEndedAt = performance.now();
      this.overflow?.afterTurn();
      this.onTurnDone?.(this);
      return false;
    });
    // stop before the lease could expire: no turn runs unless this node may run the sector
    this.loop.gate = () => {
      const ok = this.phase === 'running' && !this.fenced && keeper.mayRun(id);
      if (!ok && this.phase === 'running') { this.phase = 'gone'; this.overflow?.stop(); onLost?.(); }
      return ok;
    };
    this.link.subscribe((f) => {
      this.recent.push(f);
      if (this.recent.length > RECENT_FRAMES) this.recent.shift();
      const changed = f.roster !== this.rosterRef;
      this.rosterRef = f.roster;
      for (const s of this.streams) {
        try {
          s.call.write(frameToMsg(f, changed || !s.sentRoster));
          s.sentRoster = true;
        } catch { this.streams.delete(s); }
      }
    });
  }

  /** Adds a subscriber, first replaying kept frames from `fromTurn` on. */
  addStream(call: grpc.ServerWritableStream<unknown, FrameMsg>, fromTurn: number, epoch: number): void {
    const entry = { call, sentRoster: false };
    // a subscriber that followed another owner gets all of this owner's frames: its turn numbers restart
    if (fromTurn > 0 && epoch !== this.epoch()) fromTurn = this.startedAt + 1;
    for (const f of this.recent) {
      if (fromTurn === 0 || f.turn < fromTurn) continue;
      call.write(frameToMsg(f, !entry.sentRoster));
      entry.sentRoster = true;
    }
    this.streams.add(entry);
    call.on('cancelled', () => this.streams.delete(entry));
    call.on('error', () => this.streams.delete(entry));
  }

  /** A percentile (0–1) of the recent turn costs. */
  turnMsAt(q: number): number {
    if (this.turnCosts.length === 0) return 0;
    return percentile([...this.turnCosts].sort((a, b) => a - b), q);
  }

  start(): void {
    void this.loop.start();
  }

  /** Ends every subscriber's stream: gateways look the sector up again and follow it. Overflow ends here too. */
  endStreams(): void {
    this.overflow?.stop();
    for (const s of this.streams) { try { s.call.end(); } catch { /* already gone */ } }
    this.streams.clear();
  }
}
