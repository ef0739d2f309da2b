// The real PostgreSQL the persistence tests use (127.0.0.1:5432, database test, or DATABASE_URL), one schema per test.

import { randomUUID } from 'node:crypto';
import { PgStore } from '../cluster/store/pg-store.js';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function pgStore(schema = `swtest_${randomUUID().slice(0, 8)}`): Promise<PgStore> {
  const s = new PgStore(DATABASE_URL, schema);
  await s.migrate();
  return s;
}
