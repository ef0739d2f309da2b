// The store's SQL, once, over a minimal database interface: PostgreSQL (pg) and embedded PostgreSQL
// (PGlite, PostgreSQL compiled to WebAssembly) run exactly the same statements and migrations.

import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Command } from '../../actors/model/commands.js';
import { StaleOwnerError, type LoggedTurn, type Snapshot, type Store } from './store.js';

export interface Db {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
  /** Runs `fn` in one transaction on one connection. */
  tx<T>(fn: (q: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const MIGRATIONS = new URL('./migrations/', import.meta.url);

export abstract class SqlStore implements Store {
  protected abstract readonly db: Db;

  /** Applies the migrations not yet applied, in order (the caller serialises migrators if needed). */
  protected async applyMigrations(q: Db): Promise<void> {
    await q.query('CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await q.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql')).sort()) {
      if (done.has(file)) continue;
      await q.tx(async (t) => {
        for (const stmt of splitSql(readFileSync(new URL(file, MIGRATIONS), 'utf8'))) await t.query(stmt);
        await t.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file]);
      });
    }
  }

  abstract migrate(): Promise<void>;

  /** Takes the fence for `token` inside the caller's transaction, or throws StaleOwnerError. */
  protected async fence(q: Db, sector: string, token: number): Promise<void> {
    const r = await q.query<{ token: string }>(
      `INSERT INTO sector_fences (sector_id, token) VALUES ($1, $2)
       ON CONFLICT (sector_id) DO UPDATE SET token = EXCLUDED.token WHERE sector_fences.token <= EXCLUDED.token
       RETURNING token`, [sector, token]);
    if (r.rowCount === 0) {
      const cur = await q.query<{ token: string }>('SELECT token FROM sector_fences WHERE sector_id = $1', [sector]);
      throw new StaleOwnerError(sector, token, Number(cur.rows[0]?.token ?? 0));
    }
  }

  async appendTurn(sector: string, token: number, turn: number, commands: readonly Command[], events: readonly { type: string; [k: string]: unknown }[] = []): Promise<void> {
    await this.db.tx(async (q) => {
      await this.fence(q, sector, token);
      if (events.length > 0) { // the turn's events, in one batch with its orders
        const ev: unknown[] = [];
        const rows = events.map((e, i) => {
          const players = ['player', 'to', 'from'].map((k) => (e as Record<string, unknown>)[k]).filter((v): v is string => typeof v === 'string');
          ev.push(sector, turn, e.type, players, JSON.stringify(e), token);
          const o = i * 6;
          return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6})`;
        });
        await q.query(`INSERT INTO battle_event_stream (sector_id, turn_number, event_type, affected_players, event_data, fencing_token) VALUES ${rows.join(', ')}`, ev);
      }
      if (commands.length === 0) return;
      const values: unknown[] = [];
      const rows = commands.map((cmd, i) => {
        values.push(sector, turn, i, cmd.player, cmd.id, JSON.stringify(cmd), token);
        const o = i * 7;
        return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7})`;
      });
      await q.query(`INSERT INTO player_command_queue (sector_id, turn_number, command_sequence, player_id, command_id, command_data, fencing_token) VALUES ${rows.join(', ')}`, values);
    });
  }

  async saveSnapshot(sector: string, token: number, turn: number, hash: string, state: Uint8Array): Promise<void> {
    const compressed = gzipSync(state, { level: 1 });
    await this.db.tx(async (q) => {
      await this.fence(q, sector, token);
      await q.query(`INSERT INTO battle_states (sector_id, turn_number, compressed_state, state_hash, fencing_token) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (sector_id, turn_number) DO UPDATE SET compressed_state = EXCLUDED.compressed_state, state_hash = EXCLUDED.state_hash, fencing_token = EXCLUDED.fencing_token`,
      [sector, turn, compressed, hash, token]);
    });
  }

  async saveSummary(sector: string, battleId: string, turn: number, participants: number, units: number, data: unknown, processingMs: number): Promise<void> {
    await this.db.query(`INSERT INTO sector_battle_states (sector_id, battle_id, turn_number, participant_count, unit_count, state_data, processing_time_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)
                         ON CONFLICT (sector_id, battle_id, turn_number) DO NOTHING`, [sector, battleId, turn, participants, units, JSON.stringify(data), Math.round(processingMs)]);
  }

  async snapshots(sector: string, limit = 5): Promise<Snapshot[]> {
    const r = await this.db.query<{ turn_number: number; state_hash: string; compressed_state: Uint8Array }>(
      'SELECT turn_number, state_hash, compressed_state FROM battle_states WHERE sector_id = $1 ORDER BY turn_number DESC LIMIT $2', [sector, limit]);
    return r.rows.map((row) => {
      let state: Uint8Array;
      try { state = gunzipSync(row.compressed_state); } catch { state = new Uint8Array(0); } // corrupt: the caller's hash check skips it
      return { turn: row.turn_number, hash: row.state_hash, state };
    });
  }

  async turnsAfter(sector: string, turn: number): Promise<LoggedTurn[]> {
    const r = await this.db.query<{ turn_number: number; command_data: Command | string }>(
      'SELECT turn_number, command_data FROM player_command_queue WHERE sector_id = $1 AND turn_number > $2 ORDER BY turn_number, command_sequence', [sector, turn]);
    const out: LoggedTurn[] = [];
    for (const row of r.rows) {
      const cmd = typeof row.command_data === 'string' ? (JSON.parse(row.command_data) as Command) : row.command_data;
      const last = out[out.length - 1];
      if (last && last.turn === row.turn_number) last.commands.push(cmd);
      else out.push({ turn: row.turn_number, commands: [cmd] });
    }
    return out;
  }

  async eventsAfter(sector: string, turn: number): Promise<{ turn: number; type: string; data: unknown }[]> {
    const r = await this.db.query<{ turn_number: number; event_type: string; event_data: unknown }>(
      'SELECT turn_number, event_type, event_data FROM battle_event_stream WHERE sector_id = $1 AND turn_number > $2 ORDER BY turn_number, event_id', [sector, turn]);
    return r.rows.map((x) => ({ turn: x.turn_number, type: x.event_type, data: typeof x.event_data === 'string' ? JSON.parse(x.event_data) : x.event_data }));
  }

  async markTurn(sector: string, token: number, turn: number): Promise<void> {
    await this.db.tx(async (q) => {
      await this.fence(q, sector, token);
      await q.query('UPDATE sector_fences SET last_turn = GREATEST(last_turn, $2) WHERE sector_id = $1', [sector, turn]);
    });
  }

  async truncateAfter(sector: string, token: number, turn: number): Promise<void> {
    await this.db.tx(async (q) => {
      await this.fence(q, sector, token);
      await q.query('DELETE FROM player_command_queue WHERE sector_id = $1 AND turn_number > $2', [sector, turn]);
      await q.query('DELETE FROM battle_states WHERE sector_id = $1 AND turn_number > $2', [sector, turn]);
      await q.query('UPDATE sector_fences SET last_turn = LEAST(last_turn, $2) WHERE sector_id = $1', [sector, turn]);
    });
  }

  async fenceToken(sector: string): Promise<number> {
    return Number((await this.db.query<{ token: string }>('SELECT token FROM sector_fences WHERE sector_id = $1', [sector])).rows[0]?.token ?? 0);
  }

  async lastTurn(sector: string): Promise<number> {
    return Number((await this.db.query<{ last_turn: number }>('SELECT last_turn FROM sector_fences WHERE sector_id = $1', [sector])).rows[0]?.last_turn ?? 0);
  }

  async sectors(): Promise<string[]> {
    return (await this.db.query<{ sector_id: string }>('SELECT sector_id FROM sector_fences ORDER BY sector_id')).rows.map((r) => r.sector_id);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

/** Splits a migration file into statements (ours contain no semicolons inside strings or bodies). */
export function splitSql(sql: string): string[] {
  return sql.split('\n').filter((l) => !l.trim().startsWith('--')).join('\n').split(';').map((s) => s.trim()).filter((s) => s.length > 0);
}
