// The sector's turn loop: ticks the SectorActor at the battle's rate, paced by time dilation.

import { performance } from 'node:perf_hooks';
import type { ActorRef, ActorSystem } from '../runtime.js';
import { TimeDilation, type DilationOptions } from './dilation.js';
import type { PublishedTurn, SectorMsg } from './sector-actor.js';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

export class SectorLoop {
  readonly dilation: TimeDilation;
  private running = false;
  private done: Promise<void> = Promise.resolve();
  /** Checked before every turn: false stops the loop (a node that may no longer run the sector). */
  gate: (() => boolean) | null = null;
  /** Told about a tick that failed or timed out. */
  onError: (err: unknown) => void = () => {};

  constructor(
    private readonly system: ActorSystem,
    private readonly sector: ActorRef<SectorMsg>,
    turnsPerSecond: number,
    private readonly clock: Clock = realClock,
    dilation: DilationOptions = {},
    private readonly onTurn: (t: PublishedTurn, costMs: number) => boolean | void = () => {},
  ) {
    this.dilation = new TimeDilation(turnsPerSecond, dilation);
  }

  /** Runs until stopped, or until `onTurn` returns true. */
  start(): Promise<void> {
    if (this.running) return this.done;
    this.running = true;
    this.done = this.run();
    return this.done;
  }

  /** Stops after the turn in progress, if any; a wait between turns is cut short. */
  stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    return this.done;
  }

  private wake: (() => void) | null = null;

  private async run(): Promise<void> {
    while (this.running) {
      if (this.gate && !this.gate()) { this.running = false; break; }
      const t0 = this.clock.now();
      let turn: PublishedTurn;
      try {
        turn = await this.system.ask<SectorMsg, PublishedTurn>(this.sector, (reply) => ({ type: 'tick', dilation: this.dilation.factor, reply }));
      } catch (err) {
        this.onError(err); // a lost or slow tick: report it and keep the sector turning
        await this.clock.sleep(this.dilation.intervalMs());
        continue;
      }
      const cost = this.clock.now() - t0;
      this.dilation.observe(cost);
      if (this.onTurn(turn, cost) === true) { this.running = false; break; }
      const wait = this.dilation.intervalMs() - cost;
      await Promise.race([this.clock.sleep(wait > 0 ? wait : 0), new Promise<void>((r) => { this.wake = r; })]);
      this.wake = null;
    }
  }
}
