// The command log port: every turn's ordered commands, written before they are applied.
// In memory here; the PostgreSQL store implements the same interface.

import type { LogEntry } from './replay.js';

export interface CommandLog {
  append(entry: LogEntry): void | Promise<void>;
  entries(): readonly LogEntry[];
}

export class InMemoryCommandLog implements CommandLog {
  private readonly log: LogEntry[] = [];
  append(entry: LogEntry): void {
    if (entry.commands.length > 0) this.log.push({ turn: entry.turn, commands: [...entry.commands] });
  }
  entries(): readonly LogEntry[] {
    return this.log;
  }
}
