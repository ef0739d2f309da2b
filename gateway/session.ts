// One client's session: who it is (from its token), what it has been sent (the shared cell
// versions it holds), its rate limits, and enough history to resume after a reconnect.

import type { SessionClaims } from './auth/tokens.js';
import type { CellVersion } from './interest/cells.js';
import type { ViewerRole } from './interest/view.js';
import { WindowCounter } from './rate-limit.js';

/** What a transport connection must offer the gateway (uWS in production, a fake in unit tests). */
export interface Connection {
  send(bytes: Uint8Array): boolean; // false: not sent (closed or over the backpressure bound)
  bufferedAmount(): number;
  close(code: number, reason: string): void;
  readonly ip: string;
}

/** Most updates kept per session for resuming (≥ 1.6 s at gold rate, as clients ack once a second); none older than the last ack. */
export const RESUME_HISTORY = 16;

export const UPDATE_EVERY: Record<string, number> = { gold: 1, silver: 10, bronze: 30 };

/** The shared version of each cell a client holds (each names its cell; never mutated once sent). */
export interface Known {
  versions: CellVersion[];
}

export const EMPTY_KNOWN: Known = { versions: [] };

export interface SentState {
  turn: number;
  known: Known;
}

export class Session {
  conn: Connection | null;
  claims: SessionClaims | null = null;
  joined = false;
  pendingJoin: string | null = null; // command id of a hot join waiting for its turn
  spectator = false;
  role: ViewerRole = 'pilot';
  playerIndex = -1;
  team = -1;
  followPlayer = '';
  followUnit = 0;
  spectatorMode = 0;
  focusX = NaN;
  focusY = NaN;
  updateEvery = 1;
  needSnapshot = true;
  known: Known = EMPTY_KNOWN;
  lastSentTurn = 0;
  lastAckedTurn = 0;
  // the last few updates sent, for resume from the last acked turn: a ring, no object per update
  private readonly histTurn = new Int32Array(RESUME_HISTORY);
  private readonly histKnown = new Array<Known>(RESUME_HISTORY).fill(EMPTY_KNOWN);
  private histStart = 0;
  private histCount = 0;
  behindSince = 0; // ms since epoch when updates started being skipped; 0 = not behind
  disconnectedAt = 0;
  strikes = 0;
  readonly messages = new WindowCounter();
  readonly acks = new WindowCounter();
  readonly along: Uint8Array[] = []; // encoded fields (events, results) for the next update, oldest first
  dilationSent = 1; // the time-dilation factor this client last got
  queue: Promise<void> = Promise.resolve(); // messages are handled one at a time, in order

  constructor(readonly id: string, conn: Connection) {
    this.conn = conn;
  }

  get player(): string {
    return this.claims?.player ?? '';
  }

  recordSent(turn: number): void {
    this.lastSentTurn = turn;
    if (this.histCount === RESUME_HISTORY) this.dropOldest();
    const at = (this.histStart + this.histCount++) % RESUME_HISTORY;
    this.histTurn[at] = turn;
    this.histKnown[at] = this.known; // `known` is replaced on each update, never mutated once sent
    // a resume starts at the last acked turn or later: older states only hold memory (and cell versions) alive
    while (this.histCount > 1 && this.histTurn[(this.histStart + 1) % RESUME_HISTORY] <= this.lastAckedTurn) this.dropOldest();
  }

  private dropOldest(): void {
    const gone = this.histKnown[this.histStart];
    this.histKnown[this.histStart] = EMPTY_KNOWN;
    this.histStart = (this.histStart + 1) % RESUME_HISTORY;
    this.histCount--;
    // nothing else holds a state that left the history (unless a resume made it current): reuse its array
    if (gone !== this.known && gone !== EMPTY_KNOWN && this.spare.length < RESUME_HISTORY) this.spare.push(gone);
  }

  /** What the client held after the update of `turn`, if that is still in the history. */
  sentState(turn: number): Known | undefined {
    for (let k = 0; k < this.histCount; k++) {
      const at = (this.histStart + k) % RESUME_HISTORY;
      if (this.histTurn[at] === turn) return this.histKnown[at];
    }
    return undefined;
  }

  /** The history, oldest first (tests and tools). */
  get history(): SentState[] {
    const out: SentState[] = [];
    for (let k = 0; k < this.histCount; k++) {
      const at = (this.histStart + k) % RESUME_HISTORY;
      out.push({ turn: this.histTurn[at], known: this.histKnown[at] });
    }
    return out;
  }

  private readonly spare: Known[] = [];

  /** A Known of `n` versions for the next update, reusing one that left the history (its entries are overwritten). */
  spareKnown(n: number): Known {
    const k = this.spare.pop() ?? { versions: [] };
    if (k.versions.length > n) k.versions.length = n;
    return k;
  }
}
