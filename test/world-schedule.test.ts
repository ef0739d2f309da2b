import { describe, expect, it } from 'vitest';
import { MemoryJobEffects } from '../cluster/jobs/effects.js';
import { InProcessJobs } from '../cluster/jobs/runner.js';
import { WorldSchedule } from '../cluster/jobs/schedule.js';
import { waveSize } from '../cluster/jobs/kinds.js';

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
    expect(effects.waves[0].requested).toBe(waveSize(1, 40)); // 40 (what it can send depends on what was produced before it ran)
    expect(sent).toBeGreaterThan(0);
    expect(effects.waves[1].requested).toBe(waveSize(2, 40)); // 60: each wave a bigger commitment
    expect(sent + (await effects.drones('Alpha'))).toBe(300);
    expect(await effects.drones('Alpha')).toBeGreaterThanOrEqual(0);
    expect(effects.waves.every((w) => w.sent <= w.requested)).toBe(true);
  });
});
