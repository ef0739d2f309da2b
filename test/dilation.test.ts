import { describe, expect, it } from 'vitest';
import { TimeDilation } from '../actors/sector/dilation.js';

describe('TimeDilation', () => {
  it('stays at real time while turns fit their budget', () => {
    const d = new TimeDilation(10);
    for (let i = 0; i < 20; i++) d.observe(5);
    expect(d.factor).toBe(1);
    expect(d.intervalMs()).toBe(100);
  });

  it('slows the clock in proportion to the overrun, never below the floor', () => {
    const d = new TimeDilation(10);
    for (let i = 0; i < 50; i++) d.observe(160); // twice the 80 ms budget
    expect(d.factor).toBeCloseTo(0.5, 2);
    expect(d.intervalMs()).toBeCloseTo(200, 0);
    for (let i = 0; i < 50; i++) d.observe(100_000);
    expect(d.factor).toBe(0.1);
  });

  it('speeds back up gradually when load falls', () => {
    const d = new TimeDilation(10);
    for (let i = 0; i < 50; i++) d.observe(100_000);
    const after: number[] = [];
    for (let i = 0; i < 60; i++) after.push(d.observe(1));
    for (let i = 1; i < after.length; i++) expect(after[i]).toBeGreaterThanOrEqual(after[i - 1]);
    expect(after[0]).toBeLessThan(0.2);
    expect(after[after.length - 1]).toBe(1);
  });

  it('honours a configured floor', () => {
    const d = new TimeDilation(20, { floor: 0.25 });
    for (let i = 0; i < 50; i++) d.observe(10_000);
    expect(d.factor).toBe(0.25);
  });
});
