// The command log written behind the turn: a turn appends its orders to a bounded in-memory queue and
// goes on; a writer drains the queue to the store in order, retrying with backoff while the database
// is slow or away. `durableTurn` says how far the log is safely stored — results are released to
// clients only up to it, so nothing acknowledged can be lost. At the bound the sector stops taking
// new orders (refused with LOG_BACKLOG) but keeps turning; nothing is ever dropped silently.

import type { CommandLog } from '../../actors/sector/command-log.js';
import type { LogEntry } from '../../actors/sector/replay.js';
import { StaleOwnerError, type Store } from './store.js';

const WATERMARK_MS = 100;

export interface BufferedLogOptions {
  maxQueuedCommands?: number; // default 50,000
  onFenced?: () => void; // a newer owner wrote: stop
  onError?: (err: unknown) => void;
}

export class BufferedStoreLog implements CommandLog {
  private readonly queue: LogEntry[] = [];
  private queuedCommands = 0;
  private durable: number;
  private last: number;
  private writing = false;
  private retryMs = 50;
  private readonly mirror: LogEntry[] = [];

  constructor(private readonly store: Store, private readonly sector: string, private readonly token: () => number, startTurn: number, private readonly o: BufferedLogOptions = {}) {
    this.durable = startTurn;
    this.last = startTurn;
  }

  append(entry: LogEntry): void {
    this.last = entry.turn;
    if (entry.commands.length === 0 && !(entry.events && entry.events.length > 0)) {
      if (this.queue.length === 0) { this.durable = entry.turn; this.markSoon(); }
      return;
    }
    this.queue.push({ turn: entry.turn, commands: [...entry.commands], events: entry.events });
    this.queuedCommands += entry.commands.length;
    void this.drain();
  }

  /** Every turn up to this one is stored. */
  durableTurn(): number {
    return this.queue.length === 0 ? this.last : this.durable;
  }

  /** False while the backlog is at its bound: new orders are refused until it drains. */
  accepting(): boolean {
    return this.queuedCommands < (this.o.maxQueuedCommands ?? 50_000);
  }

  backlog(): number {
    return this.queuedCommands;
  }

  /** Resolves true once every turn up to `turn` is stored, false if that takes longer than `timeoutMs`. */
  async durableThrough(turn: number, timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.durableTurn() < turn) {
      if (Date.now() > deadline) return false;
      void this.drain();
      await new Promise((r) => setTimeout(r, 10));
    }
    return true;
  }

  /** Resolves true once everything appended so far is stored (before a hand-off: a new owner fences us out). */
  flushed(timeoutMs = 10_000): Promise<boolean> {
    return this.durableThrough(this.last, timeoutMs);
  }

  entries(): readonly LogEntry[] {
    return this.mirror;
  }

  // The turn watermark: written when everything before it is stored, at most every WATERMARK_MS.
  private marking = false;
  private markedAt = 0;
  private markSoon(): void {
    if (this.marking || performance.now() - this.markedAt < WATERMARK_MS) return;
    this.marking = true;
    const turn = this.durable;
    this.store.markTurn(this.sector, this.token(), turn).then(
      () => { this.markedAt = performance.now(); },
      (err) => { if (err instanceof StaleOwnerError) this.o.onFenced?.(); },
    ).finally(() => { this.marking = false; });
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const e = this.queue[0];
        try {
          await this.store.appendTurn(this.sector, this.token(), e.turn, e.commands, e.events ?? []);
        } catch (err) {
          if (err instanceof StaleOwnerError) { this.o.onFenced?.(); return; }
          this.o.onError?.(err);
          await new Promise((r) => setTimeout(r, this.retryMs));
          this.retryMs = Math.min(1000, this.retryMs * 2);
          continue;
        }
        this.retryMs = 50;
        this.queue.shift();
        this.queuedCommands -= e.commands.length;
        this.durable = e.turn;
        if (e.commands.length > 0) this.mirror.push({ turn: e.turn, commands: e.commands });
      }
      this.markSoon();
    } finally {
      this.writing = false;
    }
  }
}
