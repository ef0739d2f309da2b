// The store on PostgreSQL (pg): migrations applied at start under an advisory lock, each cluster (and each
// test) in its own schema.

import pg from 'pg';
import { SqlStore, type Db } from './sql-store.js';

function poolDb(pool: pg.Pool): Db {
  const over = (c: pg.Pool | pg.PoolClient): Db => ({
    query: async <R>(sql: string, params?: unknown[]) => {
      const r = await c.query(sql, params as unknown[]);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
    tx: async <T>(fn: (q: Db) => Promise<T>): Promise<T> => {
      if (c !== pool) return fn(over(c)); // already inside one
      const client = await pool.connect();
      let failed = false;
      try {
        await client.query('BEGIN');
        const out = await fn(over(client));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        failed = true;
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release(failed); // a failed transaction's connection may be the broken one: never reused
      }
    },
    close: async () => { if (c === pool) await pool.end(); },
  });
  return over(pool);
}

export class PgStore extends SqlStore {
  readonly pool: pg.Pool;
  protected readonly db: Db;

  /** `schema` isolates a cluster (and each test) in its own PostgreSQL schema. */
  constructor(url: string, private readonly schema = 'sectorwars', poolSize = 4) {
    super();
    this.pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 3000, options: `-c search_path=${schema}` });
    this.pool.on('error', () => { /* idle client errors surface on the next query */ });
    // a checked-out client whose connection drops between queries emits 'error' with no query to reject: without a
    // listener that would crash the process (a network cut to PostgreSQL); the failure surfaces on its next query
    this.pool.on('connect', (client) => client.on('error', () => undefined));
    this.db = poolDb(this.pool);
  }

  async migrate(): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await c.query('SELECT pg_advisory_lock(hashtext($1))', [this.schema]); // one migrator at a time
      const single = { ...poolDb(this.pool), query: async <R>(sql: string, params?: unknown[]) => { const r = await c.query(sql, params as unknown[]); return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 }; } };
      await this.applyMigrations({ ...single, tx: async (fn) => { await c.query('BEGIN'); try { const out = await fn(single); await c.query('COMMIT'); return out; } catch (err) { await c.query('ROLLBACK').catch(() => undefined); throw err; } } });
    } finally {
      await c.query('SELECT pg_advisory_unlock(hashtext($1))', [this.schema]).catch(() => undefined);
      c.release();
    }
  }

  /** Tests: drops this store's schema. */
  async drop(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
  }
}
