// The embedded store: PGlite (PostgreSQL compiled to WebAssembly) in this process, running the same
// migrations and SQL as the PostgreSQL store. In memory, or in a directory to survive restarts.

import { PGlite } from '@electric-sql/pglite';
import { SqlStore, type Db } from './sql-store.js';

type Queryable = Pick<PGlite, 'query'>;

function pgliteDb(pg: PGlite): Db {
  const over = (c: Queryable, inTx: boolean): Db => ({
    query: async <R>(sql: string, params?: unknown[]) => {
      const r = await c.query<R>(sql, params);
      return { rows: r.rows, rowCount: r.rows.length > 0 ? r.rows.length : (r.affectedRows ?? 0) };
    },
    tx: async <T>(fn: (q: Db) => Promise<T>): Promise<T> => (inTx ? fn(over(c, true)) : pg.transaction((t) => fn(over(t, true)))),
    close: async () => { if (!inTx) await pg.close(); },
  });
  return over(pg, false);
}

export class PgliteStore extends SqlStore {
  protected readonly db: Db;
  private readonly pg: PGlite;

  /** `dataDir`: a directory to keep the database in; none = in memory. */
  constructor(dataDir?: string) {
    super();
    this.pg = dataDir ? new PGlite(dataDir) : new PGlite();
    this.db = pgliteDb(this.pg);
  }

  async migrate(): Promise<void> {
    await this.applyMigrations(this.db); // one process owns an embedded database: no lock needed
  }
}
