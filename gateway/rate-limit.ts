// Token bucket: `rate` actions per second with bursts up to `burst`; excess is refused, never queued.

export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(private readonly rate: number, private readonly burst: number, now: number) {
    this.tokens = burst;
    this.last = now;
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Counts events in the current one-second window (flood detection). */
export class WindowCounter {
  private windowStart = 0;
  private count = 0;
  hit(now: number): number {
    if (now - this.windowStart >= 1000) { this.windowStart = now; this.count = 0; }
    return ++this.count;
  }
}
