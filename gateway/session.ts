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

/**
 * The last updates kept per session for resuming, besides the state the client last acked (kept however old). Few:
 * every state kept holds its cell versions alive, and versions that die within a few turns never leave the young
 * generation (the collector's cheap case); a resume from anything else starts with a snapshot.
 */
export const RESUME_RECENT = 4;

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
  // the last few updates sent (a ring, no object per update) and the last acked state once it has left the ring
  private readonly histTurn = new Int32Array(RESUME_RECENT);
  private readonly histKnown = new Array<Known>(RESUME_RECENT).fill(EMPTY_KNOWN);
  private histStart = 0;
  private histCount = 0;
  private ackedTurn = -1;
  private ackedKnown: Known = EMPTY_KNOWN;
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
    // a newer ack than the state kept for it: that one is no resume point any more
    if (this.ackedTurn >= 0 && this.ackedTurn !== this.lastAckedTurn) this.forgetAcked();
    if (this.histCount === RESUME_RECENT) {
      const gone = this.histKnown[this.histStart];
      const goneTurn = this.histTurn[this.histStart];
      this.histKnown[this.histStart] = EMPTY_KNOWN;
      this.histStart = (this.histStart + 1) % RESUME_RECENT;
      this.histCount--;
      if (goneTurn === this.lastAckedTurn) { this.forgetAcked(); this.ackedTurn = goneTurn; this.ackedKnown = gone; } // the resume point stays
      else this.recycle(gone);
    }
    const at = (this.histStart + this.histCount++) % RESUME_RECENT;
    this.histTurn[at] = turn;
    this.histKnown[at] = this.known; // `known` is replaced on each update, never mutated once sent
  }

  private forgetAcked(): void {
    this.recycle(this.ackedKnown);
    this.ackedTurn = -1;
    this.ackedKnown = EMPTY_KNOWN;
  }

  // nothing else holds a state that left the history (unless a resume made it current): reuse its array
  private recycle(gone: Known): void {
    if (gone !== this.known && gone !== EMPTY_KNOWN && this.spare.length < RESUME_RECENT + 2) this.spare.push(gone);
  }

  /** What the client held after the update of `turn`, if that is still kept (its last acked state or a recent one). */
  sentState(turn: number): Known | undefined {
    if (turn === this.ackedTurn) return this.ackedKnown;
    for (let k = 0; k < this.histCount; k++) {
      const at = (this.histStart + k) % RESUME_RECENT;
      if (this.histTurn[at] === turn) return this.histKnown[at];
    }
    return undefined;
  }

  /** The states kept for a resume, oldest first (tests and tools). */
  get history(): SentState[] {
    const out: SentState[] = this.ackedTurn >= 0 ? [{ turn: this.ackedTurn, known: this.ackedKnown }] : [];
    for (let k = 0; k < this.histCount; k++) {
      const at = (this.histStart + k) % RESUME_RECENT;
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
