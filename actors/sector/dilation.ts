// Time dilation: when a turn costs more than its share of real time, the sector's game clock slows
// (down to a floor of 10% of real time) instead of falling behind or dropping work, and speeds back
// up when load falls. Turns are discrete and fixed-step, so results never depend on the factor.

export interface DilationOptions {
  floor?: number; // slowest game-time rate, as a share of real time
  headroom?: number; // share of a turn's real interval the turn may use
  smoothing?: number; // weight of the newest cost in the moving average
  recovery?: number; // at most this factor faster per turn when load falls
}

export class TimeDilation {
  readonly turnMs: number;
  readonly floor: number;
  private readonly headroom: number;
  private readonly smoothing: number;
  private readonly recovery: number;
  private avg = -1;
  factor = 1;

  constructor(turnsPerSecond: number, o: DilationOptions = {}) {
    this.turnMs = 1000 / turnsPerSecond;
    this.floor = o.floor ?? 0.1;
    this.headroom = o.headroom ?? 0.8;
    this.smoothing = o.smoothing ?? 0.3;
    this.recovery = o.recovery ?? 1.1;
  }

  /** Feeds one turn's measured cost (ms); returns the new factor (1 = real time). */
  observe(costMs: number): number {
    this.avg = this.avg < 0 ? costMs : this.smoothing * costMs + (1 - this.smoothing) * this.avg;
    const budget = this.turnMs * this.headroom;
    const wanted = Math.min(1, Math.max(this.floor, this.avg > 0 ? budget / this.avg : 1));
    // slow down at once, recover gradually so one cheap turn does not cause oscillation
    this.factor = wanted < this.factor ? wanted : Math.min(wanted, this.factor * this.recovery);
    return this.factor;
  }

  /** Real milliseconds between turn starts at the current factor. */
  intervalMs(): number {
    return this.turnMs / this.factor;
  }
}
