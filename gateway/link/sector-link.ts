// SectorLink: how a gateway reaches a sector. Send orders in, receive each turn as a TurnFrame.
// This file has the port and the in-process adapter; the cluster adds a gRPC adapter of the same port.

import type { Command } from '../../actors/model/commands.js';
import type { ActorRef, ActorSystem } from '../../actors/runtime.js';
import type { Battle } from '../../actors/sector/battle.js';
import { buildFrame, type TurnFrame } from '../../actors/sector/frame.js';
import type { PublishedTurn, SectorMsg, SubmitResult } from '../../actors/sector/sector-actor.js';

export interface SectorLink {
  readonly battleId: string;
  submit(command: Command): Promise<SubmitResult>;
  /** Calls `listener` with every turn from now on; returns the unsubscribe function. */
  subscribe(listener: (frame: TurnFrame) => void): () => void;
  /** The latest frame (with roster), or null before the first turn. */
  latest(): TurnFrame | null;
}

export class LocalSectorLink implements SectorLink {
  private readonly listeners = new Set<(f: TurnFrame) => void>();
  private last: TurnFrame | null = null;
  private rosterSig = '';

  /** `authority`: the owner's fencing token and the turn it took over at (cluster nodes); a single process has none. */
  constructor(private readonly system: ActorSystem, private readonly sector: ActorRef<SectorMsg>, private readonly battle: Battle, private readonly authority: () => { epoch: number; startedAt: number } = () => ({ epoch: 0, startedAt: 0 })) {
    system.tell<SectorMsg>(sector, { type: 'subscribe', listener: (t) => this.onTurn(t) });
  }

  get battleId(): string {
    return this.battle.config.battleId;
  }

  submit(command: Command): Promise<SubmitResult> {
    return this.system.ask<SectorMsg, SubmitResult>(this.sector, (reply) => ({ type: 'submit', command, reply }));
  }

  subscribe(listener: (frame: TurnFrame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  latest(): TurnFrame | null {
    return this.last;
  }

  // Runs inside the sector's turn, so the battle is consistent; the frame is a copy.
  private onTurn(t: PublishedTurn): void {
    const r = this.battle.roster;
    const sig = `${r.players.length}/${r.teams.length}/${r.players.map((p) => p.status[0]).join('')}/${this.battle.world.relations.join('')}`;
    const withRoster = sig !== this.rosterSig || this.last === null;
    this.rosterSig = sig;
    const frame = buildFrame(this.battle, t.results, t.events, t.kernelEvents, t.hash, t.dilation, withRoster, t.durableTurn, this.authority());
    if (!withRoster && this.last) frame.roster = this.last.roster;
    this.last = frame;
    for (const l of this.listeners) l(frame);
  }
}
