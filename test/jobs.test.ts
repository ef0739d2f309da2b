import { afterEach, describe, expect, it } from 'vitest';
import { BullJobs, InProcessJobs, readDeadLetters, standardKey, type Jobs, type RunnerOptions } from '../cluster/jobs/runner.js';
import { MemoryJobEffects, PgJobEffects, type JobEffects } from '../cluster/jobs/effects.js';
import { chronicle, settle, type BattleSummary } from '../cluster/jobs/kinds.js';
import type { PgStore } from '../cluster/store/pg-store.js';
import { pgStore } from './pg.js';
import { REDIS_URL, testPrefix } from './redis.js';

const summary = (battleId: string): BattleSummary => ({
  battleId, winner: 'Alpha', turns: 900, units: 2400,
  teams: [
    { name: 'Alpha', insured: true, fleetValue: 1_000_000, lostValue: 200_000, killedValue: 500_000 },
    { name: 'Beta', insured: false, fleetValue: 800_000, lostValue: 500_000, killedValue: 200_000 },
  ],
  timeline: [{ turn: 100, values: [10, 12] }, { turn: 200, values: [11, 9] }, { turn: 300, values: [9, 10] }, { turn: 400, values: [8, 5] }],
});

describe('job logic', () => {
  it('settlement follows the seeds\' economics', () => {
    const e = settle(summary('b1'));
    expect(e).toEqual(expect.arrayContaining([
      { account: 'Alpha', entry: 'salvage', credits: 125_000 }, // the victor salvages 25%
      { account: 'Beta', entry: 'salvage', credits: 20_000 }, // others 10%
      { account: 'Alpha', entry: 'insurance_premium', credits: -20_000 },
      { account: 'Alpha', entry: 'insurance_claim', credits: 100_000 },
      { account: 'Alpha', entry: 'capture_reward', credits: 70_000 }, // 10% of 700,000 destroyed, within 10k–100k
      { account: 'Beta', entry: 'loss', credits: -500_000 },
    ]));
    expect(e.some((x) => x.account === 'Beta' && x.entry.startsWith('insurance'))).toBe(false);
  });

  it('chronicles name the turns where the lead changed hands, top performers and records broken', () => {
    const c = chronicle(summary('b1'), new Map([['longest_battle_turns', 1000]]));
    expect(c.decisiveMoments).toEqual([{ turn: 200, leader: 'Alpha', previous: 'Beta' }, { turn: 300, leader: 'Beta', previous: 'Alpha' }, { turn: 400, leader: 'Alpha', previous: 'Beta' }]);
    expect(c.topPerformers[0]).toEqual({ team: 'Alpha', killedValue: 500_000 });
    expect(c.recordsBroken.map((r) => r.name).sort()).toEqual(['largest_battle_units', 'most_value_destroyed']);
  });
});

type Rig = { jobs: Jobs; effects: JobEffects; drain: () => Promise<void>; done: () => Promise<void>; readDead?: () => Promise<unknown> };
const rigs: [string, (o: RunnerOptions) => Promise<Rig>][] = [
  ['in-process', async (o) => {
    const effects = new MemoryJobEffects();
    const jobs = new InProcessJobs(effects, null, o);
    return { jobs, effects, drain: async () => { await Promise.all(jobs.settled); }, done: () => jobs.close() };
  }],
  ['BullMQ + PostgreSQL', async (o) => {
    const store: PgStore = await pgStore();
    const effects = new PgJobEffects(store.pool);
    const prefix = testPrefix();
    const jobs = new BullJobs(REDIS_URL, prefix, effects, store, o);
    return { jobs, effects, readDead: () => readDeadLetters(REDIS_URL, prefix), drain: () => jobs.idle(), done: async () => { await jobs.close(); await store.drop(); await store.close(); } };
  }],
];

for (const [name, make] of rigs) {
  describe(`jobs: ${name}`, () => {
    let rig: Rig | undefined;
    afterEach(async () => { await rig?.done(); rig = undefined; });

    it('each job kind applies once, even when queued twice or when an attempt fails after its effects committed', async () => {
      // the first attempt of every job fails after applying (a crash before the ack): the retry must not apply again
      rig = await make({ attempts: 3, backoffMs: 50, fault: (_k, _key, attempt) => (attempt === 1 ? 'after' : null) });
      const { jobs, effects } = rig;
      const s = summary('b-once');
      await jobs.enqueue('settlement', standardKey('settlement', s), s);
      await jobs.enqueue('settlement', standardKey('settlement', s), s); // queued twice
      await jobs.enqueue('chronicle', standardKey('chronicle', s), s);
      const prod = { team: 'Alpha', factories: 2, hour: 42 };
      await jobs.enqueue('production', standardKey('production', prod), prod);
      await jobs.enqueue('production', standardKey('production', prod), prod);
      await jobs.enqueue('archive', 'archive/b-once', { battleId: 'b-once', sector: 'b-once' });
      await rig.drain(); // production first: the wave draws on that inventory
      const wave = { team: 'Alpha', sector: 's-front', wave: 1, baseUnits: 30 };
      await jobs.enqueue('wave', standardKey('wave', wave), wave);
      await jobs.enqueue('wave', standardKey('wave', wave), wave);
      await rig.drain();
      expect(await effects.ledgerFor('Alpha')).toEqual(settle(s).filter((e) => e.account === 'Alpha').sort((a, b) => (a.entry < b.entry ? -1 : 1)));
      expect(await effects.drones('Alpha')).toBe(70); // 50 per factory-hour × 2, once; minus one wave of 30, once
      expect((await effects.chronicleOf('b-once'))?.decisiveMoments).toHaveLength(3);
      expect(await effects.runs()).toBe(5);
      expect(JSON.stringify(await jobs.deadLetters())).toBe('[]');
    }, 30_000);

    it('a job that keeps failing is retried with backoff, then lands in the dead-letter queue, having applied nothing', async () => {
      rig = await make({ attempts: 3, backoffMs: 30, fault: (kind) => (kind === 'settlement' ? 'before' : null) });
      const s = summary('b-dead');
      await rig.jobs.enqueue('settlement', 'settlement/b-dead', s);
      await rig.drain();
      const dead = await rig.jobs.deadLetters();
      expect(dead).toEqual([expect.objectContaining({ key: 'settlement/b-dead', kind: 'settlement', attempts: 3 })]);
      if (rig.readDead) expect(await rig.readDead()).toEqual(dead); // what operators read without a worker
      expect(await rig.effects.ledgerFor('Alpha')).toEqual([]);
    }, 30_000);
  });
}
