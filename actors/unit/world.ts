// The battle's units as a struct of typed arrays with a free list. A unit id packs a slot and a
// generation, so an order naming a destroyed unit never reaches the slot's next occupant.

import { Order, Stance } from './enums.js';
import type { Catalog } from './catalog.js';

export const SLOT_BITS = 20;
export const SLOT_MASK = (1 << SLOT_BITS) - 1;
export const MAX_UNITS = 1 << SLOT_BITS;
const GEN_MASK = 0x7ff; // 11 bits: ids stay positive int32
export const NO_UNIT = -1;

export interface World {
  capacity: number;
  highWater: number; // slots [0, highWater) have ever been used
  liveCount: number;
  freeTop: number;
  free: Int32Array; // LIFO stack of free slots below highWater
  width: number;
  height: number;
  turn: number;
  rng: Uint32Array;
  teamCount: number;
  relations: Uint8Array; // teamCount × teamCount, Relation codes
  catalog: Catalog;
  stats: TeamStats;

  alive: Uint8Array;
  gen: Uint16Array;
  type: Uint8Array;
  team: Uint8Array;
  owner: Int32Array; // player index, -1 = the team's reserve (waves)
  squad: Int32Array; // squadron index, -1 none
  x: Float64Array;
  y: Float64Array;
  hull: Int32Array;
  shield: Int32Array;
  cooldown: Int32Array;
  fuel: Float64Array;
  ammo: Int32Array;
  target: Int32Array; // current target id
  order: Uint8Array;
  orderX: Float64Array;
  orderY: Float64Array;
  orderSpeed: Float64Array; // per turn; 0 = full speed
  focus: Int32Array; // focus-fire target id
  stance: Uint8Array;
  activeAt: Int32Array; // first turn the unit acts (deployment phase before it)
  launchLeft: Int32Array; // drones a carrier still carries
  launchCd: Int32Array;
  // per-turn scratch, always zero between turns
  damage: Int32Array;
  lastHit: Int32Array;
}

/** Per-team running totals, indexed by team. */
export interface TeamStats {
  lost: Int32Array; // units destroyed (combat, abandoned or scuttled)
  lostValue: Float64Array; // credits
  killedValue: Float64Array; // credits of hostile units this team destroyed
  retreated: Int32Array; // units that left by fighting withdrawal
  crewSaved: Int32Array; // escape pods that reached the edge
}

function createStats(n: number): TeamStats {
  return { lost: new Int32Array(n), lostValue: new Float64Array(n), killedValue: new Float64Array(n), retreated: new Int32Array(n), crewSaved: new Int32Array(n) };
}

/** Grows the team dimension (an independent joining mid-battle); new teams start hostile to all. */
export function ensureTeams(w: World, n: number): void {
  if (n <= w.teamCount) return;
  const old = w.teamCount;
  const rel = new Uint8Array(n * n);
  for (let a = 0; a < old; a++) for (let b = 0; b < old; b++) rel[a * n + b] = w.relations[a * old + b];
  w.relations = rel;
  const stats = createStats(n);
  for (const k of Object.keys(stats) as (keyof TeamStats)[]) (stats[k] as unknown as { set(a: ArrayLike<number>): void }).set(w.stats[k]);
  w.stats = stats;
  w.teamCount = n;
}

export const UNIT_FIELDS = [
  'alive', 'gen', 'type', 'team', 'owner', 'squad', 'x', 'y', 'hull', 'shield', 'cooldown', 'fuel', 'ammo',
  'target', 'order', 'orderX', 'orderY', 'orderSpeed', 'focus', 'stance', 'activeAt', 'launchLeft', 'launchCd',
  'damage', 'lastHit',
] as const;
export type UnitField = (typeof UNIT_FIELDS)[number];

function allocArrays(w: Partial<World>, capacity: number): void {
  w.alive = new Uint8Array(capacity);
  w.gen = new Uint16Array(capacity);
  w.type = new Uint8Array(capacity);
  w.team = new Uint8Array(capacity);
  w.owner = new Int32Array(capacity);
  w.squad = new Int32Array(capacity);
  w.x = new Float64Array(capacity);
  w.y = new Float64Array(capacity);
  w.hull = new Int32Array(capacity);
  w.shield = new Int32Array(capacity);
  w.cooldown = new Int32Array(capacity);
  w.fuel = new Float64Array(capacity);
  w.ammo = new Int32Array(capacity);
  w.target = new Int32Array(capacity);
  w.order = new Uint8Array(capacity);
  w.orderX = new Float64Array(capacity);
  w.orderY = new Float64Array(capacity);
  w.orderSpeed = new Float64Array(capacity);
  w.focus = new Int32Array(capacity);
  w.stance = new Uint8Array(capacity);
  w.activeAt = new Int32Array(capacity);
  w.launchLeft = new Int32Array(capacity);
  w.launchCd = new Int32Array(capacity);
  w.damage = new Int32Array(capacity);
  w.lastHit = new Int32Array(capacity);
  w.free = new Int32Array(capacity);
}

export function createWorld(opts: { capacity: number; width: number; height: number; teamCount: number; catalog: Catalog }): World {
  const capacity = Math.min(MAX_UNITS, Math.max(16, opts.capacity));
  const w: Partial<World> = {
    capacity, highWater: 0, liveCount: 0, freeTop: 0, width: opts.width, height: opts.height, turn: 0,
    rng: new Uint32Array(4), teamCount: opts.teamCount, relations: new Uint8Array(opts.teamCount * opts.teamCount),
    catalog: opts.catalog, stats: createStats(opts.teamCount),
  };
  allocArrays(w, capacity);
  return w as World;
}

/** Doubles capacity, copying every column. Rare (amortised), never inside a steady-state turn. */
function grow(w: World): void {
  const next = Math.min(MAX_UNITS, w.capacity * 2);
  if (next === w.capacity) throw new Error('world is full');
  const old: Record<string, ArrayLike<number>> = {};
  for (const f of UNIT_FIELDS) old[f] = w[f];
  const oldFree = w.free;
  allocArrays(w, next);
  for (const f of UNIT_FIELDS) (w[f] as unknown as { set(a: ArrayLike<number>): void }).set(old[f]);
  w.free.set(oldFree);
  w.capacity = next;
}

export function unitId(w: World, slot: number): number {
  return (w.gen[slot] << SLOT_BITS) | slot;
}

/** Slot of a live unit id, or -1 when the id is malformed, unused, destroyed or reused. */
export function slotOf(w: World, id: number): number {
  if (!Number.isInteger(id) || id < 0) return -1;
  const slot = id & SLOT_MASK;
  if (slot >= w.highWater || w.alive[slot] === 0 || w.gen[slot] !== id >>> SLOT_BITS) return -1;
  return slot;
}

/** Allocates a unit with full stats; returns its slot. Orders default to idle, aggressive stance. */
export function spawnUnit(w: World, type: number, team: number, owner: number, squad: number, x: number, y: number, activeAt: number): number {
  let slot: number;
  if (w.freeTop > 0) slot = w.free[--w.freeTop];
  else {
    if (w.highWater === w.capacity) grow(w);
    slot = w.highWater++;
  }
  const c = w.catalog;
  w.alive[slot] = 1;
  w.gen[slot] = (w.gen[slot] + 1) & GEN_MASK;
  w.type[slot] = type;
  w.team[slot] = team;
  w.owner[slot] = owner;
  w.squad[slot] = squad;
  w.x[slot] = x;
  w.y[slot] = y;
  w.hull[slot] = c.hull[type];
  w.shield[slot] = c.shields[type];
  w.cooldown[slot] = 0;
  w.fuel[slot] = c.fuel[type];
  w.ammo[slot] = c.ammunition[type];
  w.target[slot] = NO_UNIT;
  w.order[slot] = Order.IDLE;
  w.orderX[slot] = x;
  w.orderY[slot] = y;
  w.orderSpeed[slot] = 0;
  w.focus[slot] = NO_UNIT;
  w.stance[slot] = Stance.AGGRESSIVE;
  w.activeAt[slot] = activeAt;
  w.launchLeft[slot] = c.drones[type];
  w.launchCd[slot] = 0;
  w.damage[slot] = 0;
  w.lastHit[slot] = NO_UNIT;
  w.liveCount++;
  return slot;
}

export function freeUnit(w: World, slot: number): void {
  if (w.alive[slot] === 0) return;
  w.alive[slot] = 0;
  w.damage[slot] = 0;
  w.lastHit[slot] = NO_UNIT;
  w.free[w.freeTop++] = slot;
  w.liveCount--;
}

export function relation(w: World, a: number, b: number): number {
  return w.relations[a * w.teamCount + b];
}

export function isHostile(w: World, a: number, b: number): boolean {
  return a !== b && w.relations[a * w.teamCount + b] === 0;
}
