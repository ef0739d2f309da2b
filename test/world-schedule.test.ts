import { describe, expect, it } from 'vitest';
import { MemoryJobEffects } from '../cluster/jobs/effects.js';
import { InProcessJobs, type Jobs } from '../cluster/jobs/runner.js';
import { WorldSchedule } from '../cluster/jobs/schedule.js';

describe('the world schedule', () => {
  it('produces 50 drones per factory-hour and sends escalating waves every 5 minutes, once each, however many nodes run it', async () => {
    const effects = new MemoryJobEffects();
    const jobs = new InProcessJobs(effects, null);
    let t = 10 * 3_600_000; // an hour boundary
    const plan = { teams: [{ name: 'Alpha', factories: 2 }], fronts: [{ sector: 's1', team: 'Alpha', baseUnits: 40, since: t }] };
    const nodeA = new WorldSchedule(jobs, plan, () => t), nodeB = new WorldSchedule(jobs, plan, () => t); // two nodes, one plan
    for (let minute = 0; minute < 130; minute++) {
      await nodeA.tick();
      await nodeB.tick();
      t += 60_000;
    }
    await Promise.all(jobs.settled);
    // hours 10, 11, 12 → 3 × 2 factories × 50 = 300 drones produced; waves 1..26 drew on them as they came
    const sent = effects.waves.reduce((n, w) => n + w.sent, 0);
    expect(effects.waves.map((w) => w.wave)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    expect(effects.waves[0].requested).toBe(40); // the base (what it can send depends on what was produced before it ran)
    expect(sent).toBeGreaterThan(0);
    expect(effects.waves[1].requested).toBe(60); // each wave a bigger commitment
    expect(sent + (await effects.drones('Alpha'))).toBe(300);
    expect(await effects.drones('Alpha')).toBeGreaterThanOrEqual(0);
    expect(effects.waves.every((w) => w.sent <= w.requested)).toBe(true);
  });

  it('a tick whose queue is down is reported, not thrown, and its slots are queued by the next tick', async () => {
    const queued: string[] = [];
    let down = true;
    const jobs: Jobs = {
      enqueue: async (kind, key) => { if (down) throw new Error('queue unreachable'); queued.push(`${kind} ${key}`); },
      deadLetters: async () => [],
      close: async () => {},
    };
    const t = 10 * 3_600_000;
    const schedule = new WorldSchedule(jobs, { teams: [{ name: 'Alpha', factories: 1 }], fronts: [{ sector: 's1', team: 'Alpha', baseUnits: 40, since: t }] }, () => t);
    const errors: unknown[] = [];
    schedule.onError = (err) => errors.push(err);
    schedule.start(5);
    await new Promise((r) => setTimeout(r, 40)); // several ticks while the queue is down: no unhandled rejection
    expect(errors.length).toBeGreaterThan(0);
    expect(queued).toEqual([]);
    schedule.stop();
    down = false;
    await schedule.tick();
    expect(queued.filter((q) => q.startsWith('production'))).toHaveLength(1); // the hour's slot, retried
    expect(queued.filter((q) => q.startsWith('wave'))).toHaveLength(1);
  });
});
