// The world's clock-driven work: drone production every hour per team, reinforcement waves every 5 minutes per
// contested sector. Each slot's job key is derived from the time slot, so any number of nodes can run this schedule:
// a slot's job is queued by all of them and applied once.

import { WAVE_EVERY_MS } from './kinds.js';
import { standardKey, type Jobs } from './runner.js';

export interface WorldPlan {
  teams: { name: string; factories: number }[];
  fronts: { sector: string; team: string; baseUnits: number; since: number }[]; // contested sectors; `since`: when the front opened (ms)
}

const HOUR_MS = 60 * 60 * 1000;

export class WorldSchedule {
  private timer: NodeJS.Timeout | null = null;
  private lastHour = -1;
  private readonly lastWave = new Map<string, number>();
  /** Told when a tick could not queue its jobs (the store or queue is down): the next tick tries the slot again. */
  onError: (err: unknown) => void = () => {};

  constructor(private readonly jobs: Jobs, private readonly plan: WorldPlan, private readonly now: () => number = Date.now, private readonly waveEveryMs = WAVE_EVERY_MS, private readonly hourMs = HOUR_MS) {}

  /** Queues the jobs of the slots that have begun since the last call. */
  async tick(): Promise<void> {
    const t = this.now();
    const hour = Math.floor(t / this.hourMs);
    if (hour !== this.lastHour) {
      for (const team of this.plan.teams) {
        const input = { team: team.name, factories: team.factories, hour };
        await this.jobs.enqueue('production', standardKey('production', input), input);
      }
      this.lastHour = hour; // only once queued: a failed tick retries the slot (its job keys make that safe)
    }
    for (const f of this.plan.fronts) {
      if (t < f.since) continue;
      const wave = Math.floor((t - f.since) / this.waveEveryMs) + 1; // from the front's opening: the same on every node
      const k = `${f.sector}/${f.team}`;
      if (this.lastWave.get(k) === wave) continue;
      const input = { team: f.team, sector: f.sector, wave, baseUnits: f.baseUnits };
      await this.jobs.enqueue('wave', standardKey('wave', input), input);
      this.lastWave.set(k, wave);
    }
  }

  start(everyMs = 1000): void {
    this.timer ??= setInterval(() => void this.tick().catch((err) => this.onError(err)), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
