// The command log port: every turn's ordered commands, written before they are applied.
// In memory here; the PostgreSQL store implements the same interface.

import type { LogEntry } from './replay.js';

export interface CommandLog {
  append(entry: LogEntry): void | Promise<void>;
  entries(): readonly LogEntry[];
  /** Turns up to this one are durably stored (a log that writes synchronously: the last appended). */
  durableTurn?(): number;
  /** False while the log cannot take more orders (a backlog at its bound). */
  accepting?(): boolean;
}

export class InMemoryCommandLog implements CommandLog {
  private readonly log: LogEntry[] = [];
  append(entry: LogEntry): void {
    if (entry.commands.length > 0) this.log.push({ turn: entry.turn, commands: [...entry.commands] }); // replay needs the orders only
  }
  entries(): readonly LogEntry[] {
    return this.log;
  }
}
