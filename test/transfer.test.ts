import { describe, expect, it } from 'vitest';
import { cmd, newBattle, turn, unitsOf } from './helpers.js';
import { slotOf } from '../actors/unit/world.js';

describe('resource transfer to a teammate', () => {
  it('moves fuel and ammunition between teammates in range, capped by the receiver\'s room', () => {
    const b = newBattle();
    const w = b.world;
    const [from] = unitsOf(b, 'a-pil');
    const [to] = unitsOf(b, 'a-cap');
    const fs = slotOf(w, from), ts = slotOf(w, to);
    w.x[ts] = w.x[fs] + 50; w.y[ts] = w.y[fs];
    w.fuel[ts] = 100; w.ammo[ts] = w.catalog.ammunition[w.type[ts]] - 5;
    const fuelBefore = w.fuel[fs], ammoBefore = w.ammo[fs];
    const o = turn(b, cmd({ player: 'a-pil', kind: 'transfer', from, to, fuel: 500, ammunition: 20 }));
    expect(o.results[0].ok).toBe(true);
    expect(w.fuel[ts]).toBe(600);
    expect(w.fuel[fs]).toBe(fuelBefore - 500);
    expect(w.ammo[ts]).toBe(w.catalog.ammunition[w.type[ts]]);
    expect(w.ammo[fs]).toBe(ammoBefore - 5);
    expect(o.events.some((e) => e.type === 'order_received' && e.to === 'a-cap')).toBe(true);
  });

  it('refuses transfers out of range, to another team, of more than the giver has, or from someone else\'s unit', () => {
    const b = newBattle();
    const w = b.world;
    const [from] = unitsOf(b, 'a-pil');
    const [to] = unitsOf(b, 'a-cap');
    const [enemy] = unitsOf(b, 'b-sc');
    w.x[slotOf(w, to)] = w.x[slotOf(w, from)] + 500;
    const reasons = turn(b,
      cmd({ player: 'a-pil', kind: 'transfer', from, to, fuel: 10 }),
      cmd({ player: 'a-pil', kind: 'transfer', from, to: enemy, fuel: 10 }),
      cmd({ player: 'a-cap', kind: 'transfer', from: to, to: from, ammunition: 100000 }),
      cmd({ player: 'a-cap2', kind: 'transfer', from, to, fuel: 1 }),
    ).results.map((r) => r.reason);
    expect(reasons).toEqual(['OUT_OF_RANGE', 'NOT_A_TEAMMATE', 'OUT_OF_RANGE', 'NO_AUTHORITY']);
    w.x[slotOf(w, to)] = w.x[slotOf(w, from)] + 10;
    expect(turn(b, cmd({ player: 'a-cap', kind: 'transfer', from: to, to: from, ammunition: 100000 })).results[0].reason).toBe('NO_AMMUNITION');
    expect(turn(b, cmd({ player: 'a-cap', kind: 'transfer', from: to, to: from, fuel: 1e9 })).results[0].reason).toBe('INSUFFICIENT_FUEL');
  });
});
