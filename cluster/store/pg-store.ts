// The store on PostgreSQL: versioned migrations applied at start (cluster/store/migrations/*.sql),
// each turn's orders appended in one transaction behind the sector's fence row.

import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import type { Command } from '../../actors/model/commands.js';
import { StaleOwnerError, type LoggedTurn, type Snapshot, type Store } from './store.js';

const MIGRATIONS = new URL('./migrations/', import.meta.url);

export class PgStore implements Store {
  readonly pool: pg.Pool;

  /** `schema` isolates a cluster (and each test) in its own PostgreSQL schema. */
  constructor(url: string, private readonly schema = 'sectorwars', poolSize = 4) {
    this.pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 3000, options: `-c search_path=${schema}` });
    this.pool.on('error', () => { /* idle client errors surface on the next query */ });
  }

  async migrate(): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await c.query('SELECT pg_advisory_lock(hashtext($1))', [this.schema]); // one migrator at a time
      await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      const done = new Set((await c.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql')).sort()) {
        if (done.has(file)) continue;
        await c.query('BEGIN');
        await c.query(readFileSync(new URL(file, MIGRATIONS), 'utf8'));
        await c.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file]);
        await c.query('COMMIT');
      }
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await c.query('SELECT pg_advisory_unlock(hashtext($1))', [this.schema]).catch(() => undefined);
      c.release();
    }
  }

  /** Takes the fence for `token` inside the caller's transaction, or throws StaleOwnerError. */
  private async fence(c: pg.PoolClient, sector: string, token: number): Promise<void> {
    const r = await c.query<{ token: string }>(
      `INSERT INTO sector_fences (sector_id, token) VALUES ($1, $2)
       ON CONFLICT (sector_id) DO UPDATE SET token = EXCLUDED.token WHERE sector_fences.token <= EXCLUDED.token
       RETURNING token`, [sector, token]);
    if (r.rowCount === 0) {
      const cur = await c.query<{ token: string }>('SELECT token FROM sector_fences WHERE sector_id = $1', [sector]);
      throw new StaleOwnerError(sector, token, Number(cur.rows[0]?.token ?? 0));
    }
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async appendTurn(sector: string, token: number, turn: number, commands: readonly Command[]): Promise<void> {
    await this.tx(async (c) => {
      await this.fence(c, sector, token);
      if (commands.length === 0) return;
      const values: unknown[] = [];
      const rows = commands.map((cmd, i) => {
        values.push(sector, turn, i, cmd.player, cmd.id, JSON.stringify(cmd), token);
        const o = i * 7;
        return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7})`;
      });
      await c.query(`INSERT INTO player_command_queue (sector_id, turn_number, command_sequence, player_id, command_id, command_data, fencing_token) VALUES ${rows.join(', ')}`, values);
    });
  }

  async saveSnapshot(sector: string, token: number, turn: number, hash: string, state: Uint8Array): Promise<void> {
    const compressed = gzipSync(state, { level: 1 });
    await this.tx(async (c) => {
      await this.fence(c, sector, token);
      await c.query(`INSERT INTO battle_states (sector_id, turn_number, compressed_state, state_hash, fencing_token) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (sector_id, turn_number) DO UPDATE SET compressed_state = EXCLUDED.compressed_state, state_hash = EXCLUDED.state_hash, fencing_token = EXCLUDED.fencing_token`,
      [sector, turn, compressed, hash, token]);
    });
  }

  async snapshots(sector: string, limit = 5): Promise<Snapshot[]> {
    const r = await this.pool.query<{ turn_number: number; state_hash: string; compressed_state: Buffer }>(
      'SELECT turn_number, state_hash, compressed_state FROM battle_states WHERE sector_id = $1 ORDER BY turn_number DESC LIMIT $2', [sector, limit]);
    return r.rows.map((row) => {
      let state: Uint8Array;
      try { state = gunzipSync(row.compressed_state); } catch { state = new Uint8Array(0); } // corrupt: the caller's hash check skips it
      return { turn: row.turn_number, hash: row.state_hash, state };
    });
  }

  async turnsAfter(sector: string, turn: number): Promise<LoggedTurn[]> {
    const r = await this.pool.query<{ turn_number: number; command_data: Command }>(
      'SELECT turn_number, command_data FROM player_command_queue WHERE sector_id = $1 AND turn_number > $2 ORDER BY turn_number, command_sequence', [sector, turn]);
    const out: LoggedTurn[] = [];
    for (const row of r.rows) {
      const last = out[out.length - 1];
      if (last && last.turn === row.turn_number) last.commands.push(row.command_data);
      else out.push({ turn: row.turn_number, commands: [row.command_data] });
    }
    return out;
  }

  async markTurn(sector: string, token: number, turn: number): Promise<void> {
    await this.tx(async (c) => {
      await this.fence(c, sector, token);
      await c.query('UPDATE sector_fences SET last_turn = GREATEST(last_turn, $2) WHERE sector_id = $1', [sector, turn]);
    });
  }

  async truncateAfter(sector: string, token: number, turn: number): Promise<void> {
    await this.tx(async (c) => {
      await this.fence(c, sector, token);
      await c.query('DELETE FROM player_command_queue WHERE sector_id = $1 AND turn_number > $2', [sector, turn]);
      await c.query('DELETE FROM battle_states WHERE sector_id = $1 AND turn_number > $2', [sector, turn]);
      await c.query('UPDATE sector_fences SET last_turn = LEAST(last_turn, $2) WHERE sector_id = $1', [sector, turn]);
    });
  }

  async fenceToken(sector: string): Promise<number> {
    return Number((await this.pool.query<{ token: string }>('SELECT token FROM sector_fences WHERE sector_id = $1', [sector])).rows[0]?.token ?? 0);
  }

  async lastTurn(sector: string): Promise<number> {
    return Number((await this.pool.query<{ last_turn: number }>('SELECT last_turn FROM sector_fences WHERE sector_id = $1', [sector])).rows[0]?.last_turn ?? 0);
  }

  async sectors(): Promise<string[]> {
    return (await this.pool.query<{ sector_id: string }>('SELECT sector_id FROM sector_fences ORDER BY sector_id')).rows.map((r) => r.sector_id);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Tests: drops this store's schema. */
  async drop(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
  }
}
