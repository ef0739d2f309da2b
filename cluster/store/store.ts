// The store port: a sector's command log and snapshots, every write fenced by the writer's token.
// PostgreSQL is the real adapter; an in-memory one serves the single-process default and unit tests.

import type { Command } from '../../actors/model/commands.js';

export interface LoggedTurn { turn: number; commands: Command[] }
export interface Snapshot { turn: number; hash: string; state: Uint8Array }

/** A write from an owner whose fencing token is older than one that has already written. */
export class StaleOwnerError extends Error {
  readonly reason = 'STALE_OWNER';
  constructor(sector: string, token: number, current: number) {
    super(`sector ${sector}: token ${token} is stale (token ${current} has written)`);
    this.name = 'StaleOwnerError';
  }
}

export interface Store {
  migrate(): Promise<void>;
  /** Appends one turn's orders; refused with StaleOwnerError when a newer owner exists. */
  appendTurn(sector: string, token: number, turn: number, commands: readonly Command[], events?: readonly { type: string; [k: string]: unknown }[]): Promise<void>;
  /** The event stream of a sector after a turn (audits, chronicles, spectators' replays). */
  eventsAfter(sector: string, turn: number): Promise<{ turn: number; type: string; data: unknown }[]>;
  saveSnapshot(sector: string, token: number, turn: number, hash: string, state: Uint8Array): Promise<void>;
  /** A per-turn summary of the sector (participants, units, turn cost) for dashboards; not needed for recovery. */
  saveSummary?(sector: string, battleId: string, turn: number, participants: number, units: number, data: unknown, processingMs: number): Promise<void>;
  /** Snapshots, newest first. */
  snapshots(sector: string, limit?: number): Promise<Snapshot[]>;
  /** Logged turns after `turn`, in order. */
  turnsAfter(sector: string, turn: number): Promise<LoggedTurn[]>;
  /** Records that the sector has played up to `turn` (every order up to it already stored); fenced. */
  markTurn(sector: string, token: number, turn: number): Promise<void>;
  /** The newest fencing token that has written for the sector (0 if none). */
  fenceToken(sector: string): Promise<number>;
  /** The last turn recorded by markTurn (0 if none). */
  lastTurn(sector: string): Promise<number>;
  /** Operator rollback: forgets every order, snapshot and watermark after `turn`; fenced. */
  truncateAfter(sector: string, token: number, turn: number): Promise<void>;
  /** Sectors that have ever been written. */
  sectors(): Promise<string[]>;
  close(): Promise<void>;
}
