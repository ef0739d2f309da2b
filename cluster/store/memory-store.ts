// The store in one process (single-node default, unit tests): the same fencing rules as PostgreSQL.

import type { Command } from '../../actors/model/commands.js';
import { StaleOwnerError, type LoggedTurn, type Snapshot, type Store } from './store.js';

export class MemoryStore implements Store {
  private readonly fences = new Map<string, number>();
  private readonly logs = new Map<string, LoggedTurn[]>();
  private readonly snaps = new Map<string, Snapshot[]>();

  async migrate(): Promise<void> {}

  private fence(sector: string, token: number): void {
    const cur = this.fences.get(sector) ?? 0;
    if (token < cur) throw new StaleOwnerError(sector, token, cur);
    this.fences.set(sector, token);
  }

  private readonly events = new Map<string, { turn: number; type: string; data: unknown }[]>();

  async appendTurn(sector: string, token: number, turn: number, commands: readonly Command[], events: readonly { type: string; [k: string]: unknown }[] = []): Promise<void> {
    this.fence(sector, token);
    if (events.length > 0) this.events.set(sector, [...(this.events.get(sector) ?? []), ...events.map((e) => ({ turn, type: e.type, data: structuredClone(e) }))]);
    if (commands.length === 0) return;
    const log = this.logs.get(sector) ?? [];
    log.push({ turn, commands: structuredClone([...commands]) });
    this.logs.set(sector, log);
  }

  async saveSnapshot(sector: string, token: number, turn: number, hash: string, state: Uint8Array): Promise<void> {
    this.fence(sector, token);
    const list = (this.snaps.get(sector) ?? []).filter((s) => s.turn !== turn);
    list.push({ turn, hash, state: state.slice() });
    this.snaps.set(sector, list);
  }

  async snapshots(sector: string, limit = 5): Promise<Snapshot[]> {
    return [...(this.snaps.get(sector) ?? [])].sort((a, b) => b.turn - a.turn).slice(0, limit);
  }

  async turnsAfter(sector: string, turn: number): Promise<LoggedTurn[]> {
    return (this.logs.get(sector) ?? []).filter((e) => e.turn > turn).sort((a, b) => a.turn - b.turn).map((e) => ({ turn: e.turn, commands: structuredClone(e.commands) }));
  }

  private readonly marks = new Map<string, number>();

  async markTurn(sector: string, token: number, turn: number): Promise<void> {
    this.fence(sector, token);
    this.marks.set(sector, Math.max(this.marks.get(sector) ?? 0, turn));
  }

  async eventsAfter(sector: string, turn: number): Promise<{ turn: number; type: string; data: unknown }[]> {
    return (this.events.get(sector) ?? []).filter((e) => e.turn > turn);
  }

  async truncateAfter(sector: string, token: number, turn: number): Promise<void> {
    this.fence(sector, token);
    this.logs.set(sector, (this.logs.get(sector) ?? []).filter((e) => e.turn <= turn));
    this.snaps.set(sector, (this.snaps.get(sector) ?? []).filter((s) => s.turn <= turn));
    this.marks.set(sector, Math.min(this.marks.get(sector) ?? 0, turn));
  }

  async fenceToken(sector: string): Promise<number> {
    return this.fences.get(sector) ?? 0;
  }

  async lastTurn(sector: string): Promise<number> {
    return this.marks.get(sector) ?? 0;
  }

  async sectors(): Promise<string[]> {
    return [...this.fences.keys()].sort();
  }

  async close(): Promise<void> {}
}
