// Running jobs: BullMQ on Redis (retries with exponential backoff; jobs that exhaust their attempts go
// to a dead-letter queue operators can read) and an in-process runner with the same behaviour for the
// single-process default. Both call the same handlers; effects apply once per key (effects.ts).

import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Store } from '../store/store.js';
import type { JobEffects } from './effects.js';
import { chronicle, DRONES_PER_FACTORY_HOUR, settle, waveSize, type BattleSummary } from './kinds.js';

export interface JobInputs {
  settlement: BattleSummary;
  chronicle: BattleSummary;
  archive: { battleId: string; sector: string };
  production: { team: string; factories: number; hour: number };
  wave: { team: string; sector: string; wave: number; baseUnits: number };
}
export type JobKind = keyof JobInputs;

export interface DeadLetter { key: string; kind: string; error: string; attempts: number }

export interface Jobs {
  /** Queues a job; `key` is its idempotency key (the same key never applies twice; no ":" — BullMQ ids forbid it). */
  enqueue<K extends JobKind>(kind: K, key: string, input: JobInputs[K]): Promise<void>;
  deadLetters(): Promise<DeadLetter[]>;
  close(): Promise<void>;
}

export interface RunnerOptions {
  attempts?: number; // default 5
  backoffMs?: number; // first retry delay, doubling; default 200
  /** Tests: make an attempt fail before or after its effects commit. */
  fault?: (kind: string, key: string, attempt: number) => 'before' | 'after' | null;
}

export function standardKey(kind: JobKind, input: JobInputs[JobKind]): string {
  if (kind === 'production') { const p = input as JobInputs['production']; return `production/${p.team}/${p.hour}`; }
  if (kind === 'wave') { const w = input as JobInputs['wave']; return `wave/${w.sector}/${w.team}/${w.wave}`; }
  return `${kind}/${(input as { battleId: string }).battleId}`;
}

/** One attempt of a job: the handler for its kind, applied through `effects` exactly once per key. */
export async function runJob(effects: JobEffects, store: Store | null, kind: string, key: string, input: unknown): Promise<unknown> {
  // reads happen before the job's transaction, so it never waits for a second connection
  const archiveLog = kind === 'archive' && store ? await store.turnsAfter((input as JobInputs['archive']).sector, 0) : [];
  const r = await effects.once(key, kind, async (tx) => {
    switch (kind) {
      case 'settlement': { const entries = settle(input as BattleSummary); await tx.ledger(entries); return { entries: entries.length }; }
      case 'chronicle': {
        const c = chronicle(input as BattleSummary, await tx.records());
        await tx.saveChronicle(c);
        for (const rec of c.recordsBroken) await tx.setRecord(rec.name, rec.value, c.battleId);
        return c;
      }
      case 'archive': {
        await tx.archive((input as JobInputs['archive']).battleId, archiveLog);
        return { turns: archiveLog.length };
      }
      case 'production': {
        const p = input as JobInputs['production'];
        await tx.addDrones(p.team, DRONES_PER_FACTORY_HOUR * p.factories);
        return { drones: DRONES_PER_FACTORY_HOUR * p.factories };
      }
      case 'wave': {
        // a wave draws its drones from the team's inventory (what its factories produced)
        const w = input as JobInputs['wave'];
        const requested = waveSize(w.wave, w.baseUnits);
        const sent = Math.min(requested, await tx.inventory(w.team));
        await tx.addDrones(w.team, -sent);
        await tx.recordWave(w.team, w.sector, w.wave, requested, sent);
        return { requested, sent };
      }
      default: throw new Error(`unknown job kind ${kind}`);
    }
  });
  return r.result;
}

/** Operators: the dead letters of a cluster's job queues, without running a worker. */
async function listDeadLetters(dead: Queue): Promise<DeadLetter[]> {
  const jobs = await dead.getJobs(['waiting', 'delayed', 'completed', 'failed', 'active']);
  return jobs.map((j) => ({ key: j.data.key as string, kind: j.data.kind as string, error: j.data.error as string, attempts: j.data.attempts as number }));
}

export async function readDeadLetters(redisUrl: string, prefix: string): Promise<DeadLetter[]> {
  const conn = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const dead = new Queue('dead-letters', { connection: conn, prefix });
  try {
    return await listDeadLetters(dead);
  } finally {
    await dead.close();
    conn.disconnect();
  }
}

export class BullJobs implements Jobs {
  private readonly queue: Queue;
  private readonly dead: Queue;
  private readonly worker: Worker;
  private readonly connections: Redis[] = [];
  private readonly deadWrites: Promise<unknown>[] = [];

  constructor(redisUrl: string, prefix: string, effects: JobEffects, store: Store | null, private readonly o: RunnerOptions = {}) {
    const conn = () => { const r = new Redis(redisUrl, { maxRetriesPerRequest: null }); this.connections.push(r); return r; };
    this.queue = new Queue('jobs', { connection: conn(), prefix });
    this.dead = new Queue('dead-letters', { connection: conn(), prefix });
    this.worker = new Worker('jobs', async (job: Job) => {
      const attempt = job.attemptsStarted; // this attempt, counted from 1 (started before the processor runs)
      const fault = o.fault?.(job.name, job.id!, attempt);
      if (fault === 'before') throw new Error(`injected failure before attempt ${attempt} applied`);
      const result = await runJob(effects, store, job.name, job.id!, job.data);
      if (fault === 'after') throw new Error(`injected failure after attempt ${attempt} applied`);
      return result;
    }, { connection: conn(), prefix, concurrency: 4 });
    this.worker.on('failed', (job, err) => {
      if (job && job.attemptsMade >= (this.o.attempts ?? 5)) {
        this.deadWrites.push(this.dead.add(job.name, { key: job.id, kind: job.name, error: err.message, attempts: job.attemptsMade, data: job.data }, { jobId: `dead/${job.id}` }));
      }
    });
  }

  async enqueue<K extends JobKind>(kind: K, key: string, input: JobInputs[K]): Promise<void> {
    await this.queue.add(kind, input, { jobId: key, attempts: this.o.attempts ?? 5, backoff: { type: 'exponential', delay: this.o.backoffMs ?? 200 }, removeOnComplete: { count: 10_000 }, removeOnFail: { count: 10_000 } });
  }

  /** Resolves when no job is waiting, running or waiting for a retry (tests, graceful shutdown). */
  async idle(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      if (Object.values(c).every((n) => n === 0)) return;
      if (Date.now() > deadline) throw new Error(`jobs still pending: ${JSON.stringify(c)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async deadLetters(): Promise<DeadLetter[]> {
    await Promise.all(this.deadWrites);
    return listDeadLetters(this.dead);
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
    await this.dead.close();
    for (const c of this.connections) c.disconnect();
  }
}

/** The same jobs in this process: retries on timers, dead letters in memory. */
export class InProcessJobs implements Jobs {
  private readonly dead: DeadLetter[] = [];
  private readonly seen = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly settled: Promise<void>[] = [];

  constructor(private readonly effects: JobEffects, private readonly store: Store | null, private readonly o: RunnerOptions = {}) {}

  async enqueue<K extends JobKind>(kind: K, key: string, input: JobInputs[K]): Promise<void> {
    if (this.seen.has(key)) return; // as BullMQ: a job id already queued is not queued again
    this.seen.add(key);
    this.settled.push(new Promise<void>((resolve) => {
      const attempt = async (n: number): Promise<void> => {
        try {
          const fault = this.o.fault?.(kind, key, n);
          if (fault === 'before') throw new Error(`injected failure before attempt ${n} applied`);
          await runJob(this.effects, this.store, kind, key, input);
          if (fault === 'after') throw new Error(`injected failure after attempt ${n} applied`);
          resolve();
        } catch (err) {
          if (n >= (this.o.attempts ?? 5)) { this.dead.push({ key, kind, error: (err as Error).message, attempts: n }); resolve(); return; }
          const t = setTimeout(() => { this.timers.delete(t); void attempt(n + 1); }, (this.o.backoffMs ?? 200) * 2 ** (n - 1));
          this.timers.add(t);
        }
      };
      void attempt(1);
    }));
  }

  async deadLetters(): Promise<DeadLetter[]> {
    return [...this.dead];
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
  }
}
