import { describe, expect, it } from 'vitest';
import { compileCatalog, UNIT_STATS, UnitType } from '../actors/unit/catalog.js';
import { DestroyCause, EventKind, Order, Relation, Stance } from '../actors/unit/enums.js';
import { rebuildGrid } from '../actors/unit/grid.js';
import { createHasher, hashDigest, hashReset, hashWorld } from '../actors/unit/hash.js';
import { nextFloat, nextU32, seedRng } from '../actors/unit/rng.js';
import { createKernel, isTargetable, nearestExit, nearestHostile, refreshHostility, step, type Kernel } from '../actors/unit/step.js';
import { clearEvents } from '../actors/unit/events.js';
import { createWorld, freeUnit, NO_UNIT, SLOT_BITS, slotOf, spawnUnit, UNIT_FIELDS, unitId, type World } from '../actors/unit/world.js';
import { battleHash, idle, newBattle } from './helpers.js';

function makeWorld(teamCount: number, capacity = 64, width = 2000, height = 2000): World {
  return createWorld({ capacity, width, height, teamCount, catalog: compileCatalog(10) });
}

function setRelation(w: World, a: number, b: number, rel: number): void {
  w.relations[a * w.teamCount + b] = rel;
  w.relations[b * w.teamCount + a] = rel;
}

/** Kernel events of the last step as [kind, a, b, c] tuples. */
function eventsOf(k: Kernel): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  for (let i = 0; i < k.events.count; i++) {
    const d = k.events.data;
    out.push([d[4 * i], d[4 * i + 1], d[4 * i + 2], d[4 * i + 3]]);
  }
  return out;
}

function stepOnce(w: World, k: Kernel): [number, number, number, number][] {
  clearEvents(k.events);
  step(w, k);
  return eventsOf(k);
}

function worldHash(w: World): string {
  const h = createHasher();
  hashReset(h, 1);
  hashWorld(h, w);
  return hashDigest(h);
}

describe('rng (sfc32 seeded by splitmix32)', () => {
  const stream = (seed: number, n: number) => {
    const s = new Uint32Array(4);
    seedRng(s, seed);
    return Array.from({ length: n }, () => nextU32(s));
  };

  it('the same seed gives the same stream', () => {
    for (const seed of [0, 1, 42, 0xffffffff]) expect(stream(seed, 200)).toEqual(stream(seed, 200));
  });

  it('different seeds give different streams', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 64; seed++) seen.add(stream(seed, 8).join(','));
    expect(seen.size).toBe(64);
    const a = stream(1, 100), b = stream(2, 100);
    expect(a.filter((v, i) => v === b[i]).length).toBeLessThan(3);
  });

  it('produces unsigned 32-bit words and floats in [0, 1) that look uniform', () => {
    const s = new Uint32Array(4);
    seedRng(s, 7);
    let sum = 0;
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const u = nextU32(s);
      expect(Number.isInteger(u) && u >= 0 && u <= 0xffffffff).toBe(true);
      const f = nextFloat(s);
      expect(f >= 0 && f < 1).toBe(true);
      sum += f;
      buckets[Math.floor(f * 10)]++;
    }
    expect(sum / 20_000).toBeGreaterThan(0.48);
    expect(sum / 20_000).toBeLessThan(0.52);
    for (const n of buckets) expect(Math.abs(n - 2000)).toBeLessThan(250);
  });

  it('the state is the whole story: copying it continues the same stream', () => {
    const s = new Uint32Array(4);
    seedRng(s, 99);
    for (let i = 0; i < 10; i++) nextU32(s);
    const copy = new Uint32Array(s);
    for (let i = 0; i < 50; i++) expect(nextU32(copy)).toBe(nextU32(s));
  });
});

describe('world: free list and generation ids', () => {
  it('reuses freed slots last-in first-out, then extends the high-water mark', () => {
    const w = makeWorld(2);
    const slots = Array.from({ length: 6 }, (_, i) => spawnUnit(w, UnitType.BASIC_DRONE, 0, 0, -1, i * 10, 0, 0));
    expect(slots).toEqual([0, 1, 2, 3, 4, 5]);
    expect(w.highWater).toBe(6);
    expect(w.liveCount).toBe(6);
    freeUnit(w, 1);
    freeUnit(w, 4);
    freeUnit(w, 2);
    expect(w.liveCount).toBe(3);
    expect(w.alive[1] + w.alive[2] + w.alive[4]).toBe(0);
    expect(spawnUnit(w, UnitType.CORVETTE, 1, 1, -1, 0, 0, 0)).toBe(2);
    expect(spawnUnit(w, UnitType.CORVETTE, 1, 1, -1, 0, 0, 0)).toBe(4);
    expect(spawnUnit(w, UnitType.CORVETTE, 1, 1, -1, 0, 0, 0)).toBe(1);
    expect(spawnUnit(w, UnitType.CORVETTE, 1, 1, -1, 0, 0, 0)).toBe(6);
    expect(w.highWater).toBe(7);
    expect(w.liveCount).toBe(7);
  });

  it('freeing twice does not put a slot on the free list twice', () => {
    const w = makeWorld(2);
    spawnUnit(w, UnitType.BASIC_DRONE, 0, 0, -1, 0, 0, 0);
    spawnUnit(w, UnitType.BASIC_DRONE, 0, 0, -1, 0, 0, 0);
    freeUnit(w, 0);
    freeUnit(w, 0);
    expect(w.freeTop).toBe(1);
    expect(w.liveCount).toBe(1);
  });

  it('a reused slot gets a new generation: the old id is invalid, the new one resolves', () => {
    const w = makeWorld(2);
    const s = spawnUnit(w, UnitType.BASIC_DRONE, 0, 0, -1, 0, 0, 0);
    const oldId = unitId(w, s);
    expect(slotOf(w, oldId)).toBe(s);
    freeUnit(w, s);
    expect(slotOf(w, oldId)).toBe(-1); // destroyed
    const s2 = spawnUnit(w, UnitType.CORVETTE, 1, 3, -1, 5, 5, 0);
    expect(s2).toBe(s);
    const newId = unitId(w, s2);
    expect(newId).not.toBe(oldId);
    expect(newId & ((1 << SLOT_BITS) - 1)).toBe(s);
    expect(slotOf(w, oldId)).toBe(-1); // reused: the old id must not reach the new occupant
    expect(slotOf(w, newId)).toBe(s2);
    // many generations later the ids are still distinct from every earlier one in a window
    const ids = new Set<number>([oldId, newId]);
    for (let i = 0; i < 100; i++) {
      freeUnit(w, s);
      spawnUnit(w, UnitType.BASIC_DRONE, 0, 0, -1, 0, 0, 0);
      const id = unitId(w, s);
      expect(ids.has(id)).toBe(false);
      ids.add(id);
      expect(id).toBeGreaterThanOrEqual(0);
    }
  });

  it('slotOf rejects malformed, unused and out-of-range ids', () => {
    const w = makeWorld(2);
    spawnUnit(w, UnitType.BASIC_DRONE, 0, 0, -1, 0, 0, 0);
    expect(slotOf(w, -1)).toBe(-1);
    expect(slotOf(w, 1.5)).toBe(-1);
    expect(slotOf(w, Number.NaN)).toBe(-1);
    expect(slotOf(w, unitId(w, 0) + 1)).toBe(-1); // slot 1 never used
    expect(slotOf(w, (5 << SLOT_BITS) | 0)).toBe(-1); // wrong generation
  });

  it('spawnUnit fills every column from the catalog and resets orders', () => {
    const w = makeWorld(2);
    const s0 = spawnUnit(w, UnitType.CARRIER, 1, 7, 3, 12, 34, 9);
    // dirty the slot, free it and reuse it: nothing of the previous occupant may survive
    w.order[s0] = Order.ATTACK; w.focus[s0] = 123; w.target[s0] = 456; w.stance[s0] = Stance.DEFENSIVE;
    w.hull[s0] = 1; w.shield[s0] = 0; w.ammo[s0] = 0; w.fuel[s0] = 0; w.cooldown[s0] = 4; w.launchCd[s0] = 3; w.orderSpeed[s0] = 2;
    freeUnit(w, s0);
    const s = spawnUnit(w, UnitType.DESTROYER, 0, 2, 1, 100, 200, 5);
    expect(s).toBe(s0);
    const c = w.catalog;
    expect(w.type[s]).toBe(UnitType.DESTROYER);
    expect([w.team[s], w.owner[s], w.squad[s], w.x[s], w.y[s], w.activeAt[s]]).toEqual([0, 2, 1, 100, 200, 5]);
    expect(w.hull[s]).toBe(c.hull[UnitType.DESTROYER]);
    expect(w.shield[s]).toBe(c.shields[UnitType.DESTROYER]);
    expect(w.ammo[s]).toBe(c.ammunition[UnitType.DESTROYER]);
    expect(w.fuel[s]).toBe(c.fuel[UnitType.DESTROYER]);
    expect(w.launchLeft[s]).toBe(0);
    expect([w.cooldown[s], w.launchCd[s], w.orderSpeed[s], w.damage[s]]).toEqual([0, 0, 0, 0]);
    expect([w.order[s], w.stance[s], w.focus[s], w.target[s], w.lastHit[s]]).toEqual([Order.IDLE, Stance.AGGRESSIVE, NO_UNIT, NO_UNIT, NO_UNIT]);
    expect([w.orderX[s], w.orderY[s]]).toEqual([100, 200]);
  });

  it('grows beyond its initial capacity, preserving every unit and the free list behaviour', () => {
    const w = makeWorld(3, 16);
    expect(w.capacity).toBe(16);
    const ids: number[] = [];
    for (let i = 0; i < 100; i++) {
      const s = spawnUnit(w, i % 7, i % 3, i, i % 5, i * 3.25, 2000 - i * 1.5, i);
      w.hull[s] -= i; // per-unit state the copy must keep
      ids.push(unitId(w, s));
    }
    expect(w.capacity).toBeGreaterThanOrEqual(100);
    expect(w.highWater).toBe(100);
    expect(w.liveCount).toBe(100);
    for (const col of UNIT_FIELDS) expect(w[col].length, col).toBe(w.capacity);
    for (let i = 0; i < 100; i++) {
      const s = slotOf(w, ids[i]);
      expect(s).toBe(i);
      expect(w.type[s]).toBe(i % 7);
      expect(w.team[s]).toBe(i % 3);
      expect(w.owner[s]).toBe(i);
      expect(w.squad[s]).toBe(i % 5);
      expect(w.x[s]).toBe(i * 3.25);
      expect(w.y[s]).toBe(2000 - i * 1.5);
      expect(w.activeAt[s]).toBe(i);
      expect(w.hull[s]).toBe(w.catalog.hull[i % 7] - i);
    }
    freeUnit(w, 10);
    freeUnit(w, 20);
    expect(spawnUnit(w, 0, 0, 0, -1, 0, 0, 0)).toBe(20);
    expect(spawnUnit(w, 0, 0, 0, -1, 0, 0, 0)).toBe(10);
    expect(spawnUnit(w, 0, 0, 0, -1, 0, 0, 0)).toBe(100);
  });
});

// ---------------------------------------------------------------------------------------------
// nearestHostile against a brute-force search

interface Layout { w: World; k: Kernel }

function randomLayout(seed: number, teams: number, units: number, cellSize: number): Layout {
  const rng = new Uint32Array(4);
  seedRng(rng, seed);
  const r = () => nextFloat(rng);
  const width = 1000 + Math.floor(r() * 1500), height = 800 + Math.floor(r() * 1500);
  const w = makeWorld(teams, 32, width, height);
  w.turn = 10;
  for (let a = 0; a < teams; a++) {
    for (let b = a + 1; b < teams; b++) {
      const x = r();
      setRelation(w, a, b, x < 0.15 ? Relation.TRUCE : x < 0.25 ? Relation.ALLIED : Relation.HOSTILE);
    }
  }
  // a few clusters plus uniform scatter; some positions snapped to a lattice so equal distances (ties) occur,
  // some on the sector's edges and corners
  const clusters = Array.from({ length: 4 }, () => [r() * width, r() * height]);
  for (let i = 0; i < units; i++) {
    let x: number, y: number;
    const kind = r();
    if (kind < 0.35) { const c = clusters[Math.floor(r() * clusters.length)]; x = c[0] + (r() - 0.5) * 150; y = c[1] + (r() - 0.5) * 150; }
    else if (kind < 0.6) { x = Math.round(r() * width / 16) * 16; y = Math.round(r() * height / 16) * 16; }
    else if (kind < 0.65) { x = r() < 0.5 ? 0 : width; y = r() * height; }
    else { x = r() * width; y = r() * height; }
    x = Math.min(width, Math.max(0, x));
    y = Math.min(height, Math.max(0, y));
    const team = Math.floor(r() * teams);
    const t = r();
    const type = t < 0.05 ? UnitType.ESCAPE_POD : Math.floor(r() * 7);
    const activeAt = t > 0.93 ? w.turn + 1 + Math.floor(r() * 50) : Math.floor(r() * (w.turn + 1)); // some still deploying
    spawnUnit(w, type, team, 0, -1, x, y, activeAt);
  }
  // some destroyed units leave holes
  for (let s = 0; s < w.highWater; s++) if (r() < 0.08) freeUnit(w, s);
  const k = createKernel(w, cellSize);
  refreshHostility(k, w);
  rebuildGrid(k.grid, w);
  return { w, k };
}

/** Nearest targetable hostile within radius (distance ≤ radius), ties broken by the lowest slot. */
function bruteNearest(w: World, s: number, radius: number): number {
  let best = -1, bestD2 = Infinity;
  for (let t = 0; t < w.highWater; t++) {
    if (w.alive[t] !== 1 || w.activeAt[t] > w.turn || w.type[t] === UnitType.ESCAPE_POD) continue;
    if (w.team[t] === w.team[s] || w.relations[w.team[s] * w.teamCount + w.team[t]] !== Relation.HOSTILE) continue;
    const dx = w.x[t] - w.x[s], dy = w.y[t] - w.y[s];
    const d2 = dx * dx + dy * dy;
    if (d2 > radius * radius) continue;
    if (d2 < bestD2) { best = t; bestD2 = d2; } // ascending slots: the first at a distance wins ties
  }
  return best;
}

describe('nearestHostile', () => {
  const radii = [0, 5, 30, 60, 150, 260, 550, 5000];
  const configs = [
    { seed: 1, teams: 2, units: 400, cellSize: 64 },
    { seed: 2, teams: 3, units: 600, cellSize: 32 },
    { seed: 3, teams: 5, units: 500, cellSize: 128 },
    { seed: 4, teams: 8, units: 800, cellSize: 50 },
    { seed: 5, teams: 4, units: 300, cellSize: 16 },
    { seed: 6, teams: 40, units: 700, cellSize: 64 }, // more teams than mask bits
    { seed: 7, teams: 2, units: 60, cellSize: 64 }, // sparse
  ];

  it.each(configs)('matches a brute-force search (seed $seed, $teams teams, $units units, cell $cellSize)', ({ seed, teams, units, cellSize }) => {
    const { w, k } = randomLayout(seed, teams, units, cellSize);
    let found = 0, compared = 0;
    for (let s = 0; s < w.highWater; s++) {
      if (w.alive[s] !== 1) continue;
      for (const r of radii) {
        const want = bruteNearest(w, s, r);
        const got = nearestHostile(w, k.grid, k, s, r);
        compared++;
        if (want >= 0) found++;
        if (got !== want) {
          const d = (t: number) => (t < 0 ? 'none' : Math.hypot(w.x[t] - w.x[s], w.y[t] - w.y[s]).toFixed(4));
          expect.fail(`slot ${s} team ${w.team[s]} at (${w.x[s]}, ${w.y[s]}) radius ${r}: kernel ${got} (d=${d(got)}), brute force ${want} (d=${d(want)})`);
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(found).toBeGreaterThan(compared / 10); // the layouts really exercise hits, not just misses
  });

  it('breaks ties by the lowest slot', () => {
    const w = makeWorld(2);
    w.turn = 1;
    const s = spawnUnit(w, UnitType.CORVETTE, 0, 0, -1, 500, 500, 0);
    // four hostiles at exactly distance 50, in different cells; spawned so the lowest slot is not the first found
    const far = spawnUnit(w, UnitType.BASIC_DRONE, 1, 1, -1, 550, 500, 0);
    const a = spawnUnit(w, UnitType.BASIC_DRONE, 1, 1, -1, 450, 500, 0);
    const b = spawnUnit(w, UnitType.BASIC_DRONE, 1, 1, -1, 500, 450, 0);
    const c = spawnUnit(w, UnitType.BASIC_DRONE, 1, 1, -1, 500, 550, 0);
    const k = createKernel(w, 32);
    refreshHostility(k, w);
    rebuildGrid(k.grid, w);
    expect(nearestHostile(w, k.grid, k, s, 100)).toBe(Math.min(far, a, b, c));
    freeUnit(w, far);
    rebuildGrid(k.grid, w);
    expect(nearestHostile(w, k.grid, k, s, 100)).toBe(Math.min(a, b, c));
  });

  it('returns nothing out of range, and a unit exactly at the range is in range', () => {
    const w = makeWorld(2);
    w.turn = 1;
    const s = spawnUnit(w, UnitType.CORVETTE, 0, 0, -1, 100, 100, 0);
    const t = spawnUnit(w, UnitType.BASIC_DRONE, 1, 1, -1, 400, 500, 0); // distance 500
    const k = createKernel(w, 64);
    refreshHostility(k, w);
    rebuildGrid(k.grid, w);
    expect(nearestHostile(w, k.grid, k, s, 499.9)).toBe(-1);
    expect(nearestHostile(w, k.grid, k, s, 500)).toBe(t);
    expect(nearestHostile(w, k.grid, k, s, 10_000)).toBe(t);
  });

  it('ignores allies, truces, its own team, deploying units and escape pods', () => {
    const w = makeWorld(4);
    w.turn = 5;
    setRelation(w, 0, 1, Relation.ALLIED);
    setRelation(w, 0, 2, Relation.TRUCE);
    const s = spawnUnit(w, UnitType.CORVETTE, 0, 0, -1, 500, 500, 0);
    spawnUnit(w, UnitType.BASIC_DRONE, 0, 0, -1, 501, 500, 0); // own team
    spawnUnit(w, UnitType.BASIC_DRONE, 1, 1, -1, 502, 500, 0); // ally
    spawnUnit(w, UnitType.BASIC_DRONE, 2, 2, -1, 503, 500, 0); // truce
    const deploying = spawnUnit(w, UnitType.BASIC_DRONE, 3, 3, -1, 504, 500, 6); // hostile, still deploying
    const pod = spawnUnit(w, UnitType.ESCAPE_POD, 3, 3, -1, 505, 500, 0); // hostile escape pod
    const k = createKernel(w, 64);
    refreshHostility(k, w);
    rebuildGrid(k.grid, w);
    expect(isTargetable(w, deploying)).toBe(false);
    expect(isTargetable(w, pod)).toBe(false);
    expect(nearestHostile(w, k.grid, k, s, 1000)).toBe(-1);
    const real = spawnUnit(w, UnitType.BASIC_DRONE, 3, 3, -1, 900, 500, 0);
    rebuildGrid(k.grid, w);
    expect(nearestHostile(w, k.grid, k, s, 1000)).toBe(real);
    // once deployed, the close one is the nearest
    w.turn = 6;
    rebuildGrid(k.grid, w);
    expect(nearestHostile(w, k.grid, k, s, 1000)).toBe(deploying);
  });
});

// ---------------------------------------------------------------------------------------------
// step

describe('step', () => {
  it('spends fuel when moving and never moves farther than its speed per turn', () => {
    const w = makeWorld(2);
    const c = w.catalog;
    const fast = spawnUnit(w, UnitType.CORVETTE, 0, 0, -1, 100, 100, 0);
    const slow = spawnUnit(w, UnitType.DESTROYER, 0, 0, -1, 100, 300, 0);
    const capped = spawnUnit(w, UnitType.CORVETTE, 0, 0, -1, 100, 500, 0);
    const dry = spawnUnit(w, UnitType.BASIC_DRONE, 0, 0, -1, 100, 700, 0);
    for (const s of [fast, slow, capped, dry]) { w.order[s] = Order.MOVE; w.orderX[s] = 1900; w.orderY[s] = w.y[s] + 900; }
    w.orderSpeed[capped] = 2; // a slower ordered speed
    w.fuel[dry] = 7.5; // not enough fuel for two turns
    const k = createKernel(w, 64);
    const startFuel = [fast, slow, capped, dry].map((s) => w.fuel[s]);
    const travelled = [0, 0, 0, 0];
    for (let turn = 0; turn < 20; turn++) {
      const before = [fast, slow, capped, dry].map((s) => [w.x[s], w.y[s], w.fuel[s]]);
      stepOnce(w, k);
      [fast, slow, capped, dry].forEach((s, i) => {
        const d = Math.hypot(w.x[s] - before[i][0], w.y[s] - before[i][1]);
        const max = s === capped ? 2 : c.speed[w.type[s]];
        expect(d).toBeLessThanOrEqual(max + 1e-9);
        expect(before[i][2] - w.fuel[s]).toBeCloseTo(d, 9);
        expect(w.fuel[s]).toBeGreaterThanOrEqual(0);
        travelled[i] += d;
      });
    }
    // they really move at full (or ordered) speed while they have fuel
    expect(travelled[0]).toBeCloseTo(20 * c.speed[UnitType.CORVETTE], 6);
    expect(travelled[1]).toBeCloseTo(20 * c.speed[UnitType.DESTROYER], 6);
    expect(travelled[2]).toBeCloseTo(40, 6);
    expect(travelled[3]).toBeCloseTo(7.5, 9);
    expect(w.fuel[dry]).toBe(0);
    [fast, slow, capped].forEach((s, i) => expect(startFuel[i] - w.fuel[s]).toBeCloseTo(travelled[i], 6));
  });

  it('stops on the destination without overshooting and becomes idle', () => {
    const w = makeWorld(2);
    const s = spawnUnit(w, UnitType.CORVETTE, 0, 0, -1, 100, 100, 0);
    w.order[s] = Order.MOVE; w.orderX[s] = 112; w.orderY[s] = 116; // 20 away: 4 turns at 5 per turn
    const k = createKernel(w, 64);
    for (let i = 0; i < 3; i++) { stepOnce(w, k); expect(w.order[s]).toBe(Order.MOVE); }
    stepOnce(w, k);
    expect(w.x[s]).toBeCloseTo(112, 9);
    expect(w.y[s]).toBeCloseTo(116, 9);
    expect(w.order[s]).toBe(Order.IDLE);
    const fuel = w.fuel[s];
    stepOnce(w, k);
    expect(w.fuel[s]).toBe(fuel);
    expect(w.fuel[s]).toBeCloseTo(w.catalog.fuel[UnitType.CORVETTE] - 20, 9);
  });

  it('deploying units neither move nor fire, and are not fired upon', () => {
    const w = makeWorld(2);
    w.turn = 0;
    const mover = spawnUnit(w, UnitType.CORVETTE, 0, 0, -1, 500, 500, 20);
    w.order[mover] = Order.MOVE; w.orderX[mover] = 900; w.orderY[mover] = 500;
    const enemy = spawnUnit(w, UnitType.CORVETTE, 1, 1, -1, 540, 500, 0); // in range of each other
    const k = createKernel(w, 64);
    for (let i = 0; i < 19; i++) {
      const ev = stepOnce(w, k);
      expect(ev.filter((e) => e[0] === EventKind.DAMAGED)).toEqual([]);
      expect(w.x[mover]).toBe(500);
      expect(w.target[enemy]).toBe(NO_UNIT);
    }
    expect(w.ammo[enemy]).toBe(w.catalog.ammunition[UnitType.CORVETTE]);
    // turn 20: deployed; the fight starts
    const ev = stepOnce(w, k);
    expect(ev).toContainEqual([EventKind.DEPLOYED, unitId(w, mover), 0, 0]);
    let hits = 0;
    for (let i = 0; i < 20; i++) hits += stepOnce(w, k).filter((e) => e[0] === EventKind.DAMAGED).length;
    expect(hits).toBeGreaterThan(0);
  });

  it('escape pods are never fired upon', () => {
    const w = makeWorld(2);
    const shooter = spawnUnit(w, UnitType.DESTROYER, 0, 0, -1, 500, 500, 0);
    const pod = spawnUnit(w, UnitType.ESCAPE_POD, 1, 1, -1, 520, 500, 0);
    w.order[pod] = Order.HOLD;
    const k = createKernel(w, 64);
    for (let i = 0; i < 30; i++) expect(stepOnce(w, k).filter((e) => e[0] === EventKind.DAMAGED)).toEqual([]);
    expect(w.ammo[shooter]).toBe(w.catalog.ammunition[UnitType.DESTROYER]);
    expect(w.hull[pod]).toBe(w.catalog.hull[UnitType.ESCAPE_POD]);
  });

  /** Steps until `target` is damaged (bounded); returns the damage dealt and the state before the hit. */
  function untilHit(w: World, k: Kernel, target: number) {
    for (let i = 0; i < 100; i++) {
      const shield = w.shield[target], hull = w.hull[target];
      const id = unitId(w, target);
      const ev = stepOnce(w, k);
      const hit = ev.find((e) => e[0] === EventKind.DAMAGED && e[1] === id);
      if (hit) return { damage: hit[3], attacker: hit[2], shield, hull, events: ev };
    }
    throw new Error('never hit');
  }

  it('damage hits shields before hull', () => {
    const w = makeWorld(2);
    const attacker = spawnUnit(w, UnitType.CORVETTE, 0, 0, -1, 500, 500, 0);
    const target = spawnUnit(w, UnitType.DESTROYER, 1, 1, -1, 600, 500, 0);
    w.ammo[target] = 0; // the target does not shoot back
    const k = createKernel(w, 64);
    const dmg = w.catalog.damage[UnitType.CORVETTE];

    let h = untilHit(w, k, target);
    expect(h.attacker).toBe(unitId(w, attacker));
    expect(h.damage).toBe(dmg);
    expect(h.shield).toBe(1000);
    expect(w.shield[target]).toBe(1000 - dmg);
    expect(w.hull[target]).toBe(2000);

    // shields weaker than the shot: the rest goes to the hull
    w.shield[target] = 10;
    h = untilHit(w, k, target);
    expect(h.shield).toBeLessThan(dmg);
    expect(w.shield[target]).toBe(0);
    expect(w.hull[target]).toBe(h.hull - (dmg - h.shield));

    // shields down (they recharge a little on turns without hits): whatever they do not absorb hits the hull
    w.shield[target] = 0;
    for (let i = 0; i < 5; i++) {
      h = untilHit(w, k, target);
      expect(h.shield).toBeLessThan(dmg);
      expect(w.shield[target]).toBe(Math.max(0, h.shield - h.damage));
      expect(w.hull[target]).toBe(h.hull - Math.max(0, h.damage - h.shield));
      expect(w.hull[target]).toBeLessThan(h.hull);
      w.shield[target] = 0;
    }
  });

  it('a destroyed ship leaves an escape pod that flies to the nearest edge; a destroyed drone does not', () => {
    const w = makeWorld(2);
    const attacker = spawnUnit(w, UnitType.DESTROYER, 0, 0, -1, 500, 500, 0);
    const ship = spawnUnit(w, UnitType.CORVETTE, 1, 4, 2, 500, 380, 0);
    w.ammo[ship] = 0;
    w.hull[ship] = 1;
    w.shield[ship] = 0;
    const shipId = unitId(w, ship);
    const k = createKernel(w, 64);
    let ev: [number, number, number, number][] = [];
    for (let i = 0; i < 50 && slotOf(w, shipId) >= 0; i++) ev = stepOnce(w, k);
    expect(slotOf(w, shipId)).toBe(-1);
    expect(ev).toContainEqual([EventKind.DESTROYED, shipId, unitId(w, attacker), DestroyCause.COMBAT]);
    const launched = ev.filter((e) => e[0] === EventKind.POD_LAUNCHED);
    expect(launched).toHaveLength(1);
    expect(launched[0][2]).toBe(shipId);
    expect(launched[0][3]).toBe(1);
    const pod = slotOf(w, launched[0][1]);
    expect(pod).toBeGreaterThanOrEqual(0);
    expect(w.type[pod]).toBe(UnitType.ESCAPE_POD);
    expect([w.team[pod], w.owner[pod], w.squad[pod]]).toEqual([1, 4, 2]);
    expect([w.x[pod], w.y[pod]]).toEqual([500, 380]);
    expect(w.order[pod]).toBe(Order.ESCAPE);
    const exit = new Float64Array(2);
    nearestExit(w, 500, 380, exit);
    expect([w.orderX[pod], w.orderY[pod]]).toEqual([500, 0]);
    expect([...exit]).toEqual([500, 0]);
    expect(w.stats.lost[1]).toBe(1);
    expect(w.stats.lostValue[1]).toBe(UNIT_STATS[UnitType.CORVETTE].cost);
    expect(w.stats.killedValue[0]).toBe(UNIT_STATS[UnitType.CORVETTE].cost);
    // the pod escapes at the edge: 380 away at 8 per turn
    let escaped: [number, number, number, number] | undefined;
    for (let i = 0; i < 60 && !escaped; i++) escaped = stepOnce(w, k).find((e) => e[0] === EventKind.POD_ESCAPED);
    expect(escaped).toEqual([EventKind.POD_ESCAPED, launched[0][1], 1, 0]);
    expect(w.stats.crewSaved[1]).toBe(1);
    expect(slotOf(w, launched[0][1])).toBe(-1);

    // a drone: no pod
    const drone = spawnUnit(w, UnitType.BASIC_DRONE, 1, 4, 2, 500, 420, 0);
    w.ammo[drone] = 0; w.hull[drone] = 1; w.shield[drone] = 0;
    const droneId = unitId(w, drone);
    for (let i = 0; i < 50 && slotOf(w, droneId) >= 0; i++) {
      ev = stepOnce(w, k);
      expect(ev.filter((e) => e[0] === EventKind.POD_LAUNCHED)).toEqual([]);
    }
    expect(slotOf(w, droneId)).toBe(-1);
    expect(ev).toContainEqual([EventKind.DESTROYED, droneId, unitId(w, attacker), DestroyCause.COMBAT]);
    expect(w.stats.lost[1]).toBe(2);
  });

  it('keeps the per-turn damage scratch at zero between turns', () => {
    const b = newBattle();
    // bring the two sides together so there is fighting
    const w = b.world;
    for (let s = 0; s < w.highWater; s++) if (w.alive[s] && w.team[s] === 1) { w.x[s] -= 1150; w.y[s] -= 1150; }
    let hits = 0;
    for (let i = 0; i < 40; i++) {
      const o = idle(b, 1);
      for (let e = 0; e < o.kernelEvents.length; e += 4) if (o.kernelEvents[e] === EventKind.DAMAGED) hits++;
      for (let s = 0; s < w.highWater; s++) expect(w.damage[s]).toBe(0);
    }
    expect(hits).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------
// hashing

describe('hashWorld / battleHash', () => {
  /** A battle with some history: moves, fighting, losses, pods, free slots. */
  function busyBattle() {
    const b = newBattle();
    const w = b.world;
    for (let s = 0; s < w.highWater; s++) if (w.alive[s] && w.team[s] === 1) { w.x[s] -= 1100; w.y[s] -= 1100; }
    idle(b, 60);
    return b;
  }

  it('is equal for identical worlds and battles', () => {
    const a = busyBattle(), b = busyBattle();
    expect(worldHash(a.world)).toBe(worldHash(b.world));
    expect(battleHash(a)).toBe(battleHash(b));
    expect(battleHash(newBattle())).toBe(battleHash(newBattle()));
    // hashing does not change the state: hashing again gives the same digest
    expect(battleHash(a)).toBe(battleHash(a));
    expect(a.world.stats.lost[0] + a.world.stats.lost[1]).toBeGreaterThan(0); // the history really happened
    expect(a.world.freeTop).toBeGreaterThanOrEqual(0);
  });

  it('changes when any single hashed unit field of any one unit changes', () => {
    const b = busyBattle();
    const w = b.world;
    const base = worldHash(w);
    const baseBattle = battleHash(b);
    const live: number[] = [];
    for (let s = 0; s < w.highWater; s++) if (w.alive[s] === 1) live.push(s);
    expect(live.length).toBeGreaterThan(10);
    // damage and lastHit are per-turn scratch (damage is zero between turns; lastHit is only read on a
    // turn that set it), so they are not state
    const scratch = ['damage', 'lastHit'];
    const fields = UNIT_FIELDS.filter((f) => !scratch.includes(f));
    expect(fields.length).toBe(UNIT_FIELDS.length - 2);
    for (const f of fields) {
      for (const s of [live[0], live[Math.floor(live.length / 2)], live[live.length - 1]]) {
        const col = w[f] as unknown as { [i: number]: number };
        const old = col[s];
        col[s] = f === 'x' || f === 'y' || f === 'fuel' || f === 'orderX' || f === 'orderY' || f === 'orderSpeed' ? old + 0.5 : old ^ 1;
        expect(col[s], `${f}[${s}] changed`).not.toBe(old);
        expect(worldHash(w), `${f}[${s}]`).not.toBe(base);
        expect(battleHash(b), `${f}[${s}]`).not.toBe(baseBattle);
        col[s] = old;
        expect(worldHash(w)).toBe(base);
      }
    }
    // a float changed in its last bit only
    const s = live[3];
    const x = w.x[s];
    w.x[s] = x + x * Number.EPSILON;
    expect(w.x[s]).not.toBe(x);
    expect(worldHash(w)).not.toBe(base);
    w.x[s] = x;
    expect(battleHash(b)).toBe(baseBattle);
  });

  it('changes with the turn, the PRNG, relations, team stats and the free list', () => {
    const b = busyBattle();
    const w = b.world;
    const base = battleHash(b);
    const flip = (label: string, mutate: () => void, undo: () => void) => {
      mutate();
      expect(battleHash(b), label).not.toBe(base);
      undo();
      expect(battleHash(b), label).toBe(base);
    };
    flip('turn', () => w.turn++, () => w.turn--);
    flip('rng', () => (w.rng[2] ^= 1), () => (w.rng[2] ^= 1));
    flip('relation', () => (w.relations[1] = Relation.TRUCE), () => (w.relations[1] = Relation.HOSTILE));
    flip('lost', () => w.stats.lost[1]++, () => w.stats.lost[1]--);
    flip('killedValue', () => (w.stats.killedValue[0] += 100), () => (w.stats.killedValue[0] -= 100));
    flip('crewSaved', () => w.stats.crewSaved[0]++, () => w.stats.crewSaved[0]--);
    flip('retreated', () => w.stats.retreated[1]++, () => w.stats.retreated[1]--);
    // the free list: same live units, different slot reuse order
    const a = spawnUnit(w, 0, 0, 0, -1, 1, 1, 0), c = spawnUnit(w, 0, 0, 0, -1, 2, 2, 0);
    freeUnit(w, a); freeUnit(w, c);
    const h1 = battleHash(b);
    const top = w.freeTop;
    [w.free[top - 1], w.free[top - 2]] = [w.free[top - 2], w.free[top - 1]];
    expect(battleHash(b)).not.toBe(h1);
  });

  it('covers the roster: credits, status and reputation', () => {
    const b = newBattle();
    const base = battleHash(b);
    const p = b.roster.players[0];
    p.credits += 1;
    expect(battleHash(b)).not.toBe(base);
    p.credits -= 1;
    p.status = 'withdrawing';
    expect(battleHash(b)).not.toBe(base);
    p.status = 'active';
    b.roster.teams[1].reputation -= 1;
    expect(battleHash(b)).not.toBe(base);
    b.roster.teams[1].reputation += 1;
    expect(battleHash(b)).toBe(base);
  });

  it('a different seed gives a different hash; the same seed the same sequence of hashes', () => {
    const run = (seed: number) => {
      const b = newBattle({ seed });
      const w = b.world;
      for (let s = 0; s < w.highWater; s++) if (w.alive[s] && w.team[s] === 1) { w.x[s] -= 1150; w.y[s] -= 1150; }
      const hs: string[] = [];
      for (let i = 0; i < 30; i++) hs.push(idle(b, 1).hash);
      return hs;
    };
    const a = run(42);
    expect(run(42)).toEqual(a);
    expect(run(43)[29]).not.toBe(a[29]);
    expect(new Set(a).size).toBe(30);
  });
});
