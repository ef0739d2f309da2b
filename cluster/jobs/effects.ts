// Where jobs write, exactly once per idempotency key: PostgreSQL (job_runs + the effect tables in one
// transaction) and an in-memory twin for the single-process default and unit tests.

import pg from 'pg';
import type { Chronicle, LedgerEntry } from './kinds.js';
import type { LoggedTurn } from '../store/store.js';

export interface EffectTx {
  ledger(entries: LedgerEntry[]): Promise<void>;
  saveChronicle(c: Chronicle): Promise<void>;
  records(): Promise<Map<string, number>>;
  setRecord(name: string, value: number, battleId: string): Promise<void>;
  archive(battleId: string, log: LoggedTurn[]): Promise<void>;
  addDrones(team: string, n: number): Promise<void>;
  inventory(team: string): Promise<number>;
  recordWave(team: string, sector: string, wave: number, requested: number, sent: number): Promise<void>;
}

export interface JobEffects {
  /** Runs `apply` and records `key` atomically; if `key` already ran, returns its stored result instead. */
  once<T>(key: string, kind: string, apply: (tx: EffectTx) => Promise<T>): Promise<{ result: T; applied: boolean }>;
  /** Read side, for tests and operators. */
  ledgerFor(account: string): Promise<LedgerEntry[]>;
  drones(team: string): Promise<number>;
  chronicleOf(battleId: string): Promise<Chronicle | undefined>;
  runs(): Promise<number>;
}

export class PgJobEffects implements JobEffects {
  constructor(private readonly pool: pg.Pool) {}

  async once<T>(key: string, kind: string, apply: (tx: EffectTx) => Promise<T>): Promise<{ result: T; applied: boolean }> {
    const c = await this.pool.connect();
    let failed = false;
    try {
      await c.query('BEGIN');
      const ins = await c.query('INSERT INTO job_runs (job_key, kind, result) VALUES ($1, $2, $3) ON CONFLICT (job_key) DO NOTHING RETURNING job_key', [key, kind, '{}']);
      if (ins.rowCount === 0) {
        await c.query('ROLLBACK');
        // on this same connection: taking a second one while holding this could exhaust the pool
        const prev = await c.query<{ result: T }>('SELECT result FROM job_runs WHERE job_key = $1', [key]);
        return { result: prev.rows[0].result, applied: false };
      }
      const tx: EffectTx = {
        ledger: async (entries) => { for (const e of entries) await c.query('INSERT INTO ledger (job_key, account, entry, credits) VALUES ($1, $2, $3, $4)', [key, e.account, e.entry, e.credits]); },
        saveChronicle: async (ch) => { await c.query('INSERT INTO battle_chronicles (battle_id, chronicle) VALUES ($1, $2) ON CONFLICT (battle_id) DO UPDATE SET chronicle = EXCLUDED.chronicle', [ch.battleId, JSON.stringify(ch)]); },
        records: async () => new Map((await c.query<{ name: string; value: number }>('SELECT name, value FROM battle_records')).rows.map((r) => [r.name, Number(r.value)])),
        setRecord: async (name, value, battleId) => { await c.query('INSERT INTO battle_records (name, value, battle_id) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, battle_id = EXCLUDED.battle_id WHERE battle_records.value < EXCLUDED.value', [name, value, battleId]); },
        archive: async (battleId, log) => { await c.query('INSERT INTO battle_archive (battle_id, log) VALUES ($1, $2) ON CONFLICT (battle_id) DO NOTHING', [battleId, JSON.stringify(log)]); },
        addDrones: async (team, n) => { await c.query('INSERT INTO team_inventory (team, drones) VALUES ($1, $2) ON CONFLICT (team) DO UPDATE SET drones = team_inventory.drones + EXCLUDED.drones', [team, n]); },
        inventory: async (team) => Number((await c.query<{ drones: string }>('SELECT drones FROM team_inventory WHERE team = $1 FOR UPDATE', [team])).rows[0]?.drones ?? 0),
        recordWave: async (team, sector, wave, requested, sent) => { await c.query('INSERT INTO reinforcements (job_key, team, sector_id, wave, requested, sent) VALUES ($1, $2, $3, $4, $5, $6)', [key, team, sector, wave, requested, sent]); },
      };
      const result = await apply(tx);
      await c.query('UPDATE job_runs SET result = $2 WHERE job_key = $1', [key, JSON.stringify(result ?? null)]);
      await c.query('COMMIT');
      return { result, applied: true };
    } catch (err) {
      failed = true;
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release(failed); // as the store does: a failed transaction's connection may be the broken one
    }
  }

  async ledgerFor(account: string): Promise<LedgerEntry[]> {
    return (await this.pool.query<{ account: string; entry: LedgerEntry['entry']; credits: string }>('SELECT account, entry, credits FROM ledger WHERE account = $1 ORDER BY entry', [account])).rows.map((r) => ({ account: r.account, entry: r.entry, credits: Number(r.credits) }));
  }

  async drones(team: string): Promise<number> {
    return Number((await this.pool.query<{ drones: string }>('SELECT drones FROM team_inventory WHERE team = $1', [team])).rows[0]?.drones ?? 0);
  }

  async chronicleOf(battleId: string): Promise<Chronicle | undefined> {
    return (await this.pool.query<{ chronicle: Chronicle }>('SELECT chronicle FROM battle_chronicles WHERE battle_id = $1', [battleId])).rows[0]?.chronicle;
  }

  async runs(): Promise<number> {
    return Number((await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM job_runs')).rows[0].n);
  }
}

export class MemoryJobEffects implements JobEffects {
  private readonly done = new Map<string, unknown>();
  private readonly ledgerRows: LedgerEntry[] = [];
  private readonly chronicles = new Map<string, Chronicle>();
  private readonly recs = new Map<string, number>();
  private readonly inventory = new Map<string, number>();
  readonly archived = new Map<string, LoggedTurn[]>();
  readonly waves: { team: string; sector: string; wave: number; requested: number; sent: number }[] = [];

  async once<T>(key: string, _kind: string, apply: (tx: EffectTx) => Promise<T>): Promise<{ result: T; applied: boolean }> {
    if (this.done.has(key)) return { result: this.done.get(key) as T, applied: false };
    // stage the effects, commit them with the key only if apply succeeds (as the SQL transaction does)
    const staged: (() => void)[] = [];
    const tx: EffectTx = {
      ledger: async (entries) => { staged.push(() => this.ledgerRows.push(...entries)); },
      saveChronicle: async (c) => { staged.push(() => this.chronicles.set(c.battleId, c)); },
      records: async () => new Map(this.recs),
      setRecord: async (name, value) => { staged.push(() => { if ((this.recs.get(name) ?? -Infinity) < value) this.recs.set(name, value); }); },
      archive: async (battleId, log) => { staged.push(() => { if (!this.archived.has(battleId)) this.archived.set(battleId, log); }); },
      addDrones: async (team, n) => { staged.push(() => this.inventory.set(team, (this.inventory.get(team) ?? 0) + n)); },
      inventory: async (team) => this.inventory.get(team) ?? 0,
      recordWave: async (team, sector, wave, requested, sent) => { staged.push(() => this.waves.push({ team, sector, wave, requested, sent })); },
    };
    const result = await apply(tx);
    for (const s of staged) s();
    this.done.set(key, result);
    return { result, applied: true };
  }

  async ledgerFor(account: string): Promise<LedgerEntry[]> {
    return this.ledgerRows.filter((e) => e.account === account).sort((a, b) => (a.entry < b.entry ? -1 : 1));
  }

  async drones(team: string): Promise<number> {
    return this.inventory.get(team) ?? 0;
  }

  async chronicleOf(battleId: string): Promise<Chronicle | undefined> {
    return this.chronicles.get(battleId);
  }

  async runs(): Promise<number> {
    return this.done.size;
  }
}
