// 64-bit state hash over a canonical encoding of the world: two independent 32-bit multiply-rotate
// lanes (murmur3-style) fed the same words, finalised together. Floats are hashed by their exact bits.

import type { World } from './world.js';

export interface Hasher {
  h1: number;
  h2: number;
  f64: Float64Array; // scratch views for float bits
  u32: Uint32Array;
}

export function createHasher(): Hasher {
  const f64 = new Float64Array(1);
  return { h1: 0, h2: 0, f64, u32: new Uint32Array(f64.buffer) };
}

export function hashReset(h: Hasher, seed = 0): void {
  h.h1 = 0x2545f491 ^ seed;
  h.h2 = 0x9e3779b9 ^ seed;
}

export function hashWord(h: Hasher, word: number): void {
  h.h1 = lane1(h.h1, word);
  h.h2 = lane2(h.h2, word);
}

export function hashFloat(h: Hasher, v: number): void {
  h.f64[0] = v;
  hashWord(h, h.u32[0]);
  hashWord(h, h.u32[1]);
}

export function hashString(h: Hasher, s: string): void {
  hashWord(h, s.length);
  for (let i = 0; i < s.length; i++) hashWord(h, s.charCodeAt(i));
}

function fmix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export function hashDigest(h: Hasher): string {
  let a = h.h1, b = h.h2;
  a = (a + b) | 0;
  b = (b + a) | 0;
  a = fmix(a);
  b = fmix(b);
  a = (a + b) >>> 0;
  b = (b + a) >>> 0;
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

function lane1(h: number, word: number): number {
  let k = Math.imul(word | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function lane2(h: number, word: number): number {
  h = (h + Math.imul(word | 0, 0x85ebca77)) | 0;
  h = (h << 13) | (h >>> 19);
  return Math.imul(h, 0x9e3779b1);
}

const bitViews = new WeakMap<Float64Array, Uint32Array>();
function bitsOf(a: Float64Array): Uint32Array {
  let v = bitViews.get(a);
  if (!v) bitViews.set(a, (v = new Uint32Array(a.buffer, a.byteOffset, a.length * 2)));
  return v;
}

// Column-major encoding: as canonical as row-major, and each column is one tight monomorphic loop
// with the mixing written inline (a generic helper over mixed typed-array kinds is 3× slower).
function hashI32(h: Hasher, alive: Uint8Array | null, n: number, col: Int32Array): void {
  let h1 = h.h1, h2 = h.h2;
  for (let s = 0; s < n; s++) {
    if (alive !== null && alive[s] === 0) continue;
    const word = col[s];
    let k = Math.imul(word, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h1 ^= Math.imul(k, 0x1b873593);
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    h2 = (h2 + Math.imul(word, 0x85ebca77)) | 0;
    h2 = (h2 << 13) | (h2 >>> 19);
    h2 = Math.imul(h2, 0x9e3779b1);
  }
  h.h1 = h1;
  h.h2 = h2;
}

/** Float64 columns hashed by their exact bits: two words per live slot. */
function hashF64(h: Hasher, alive: Uint8Array, n: number, col: Uint32Array): void {
  let h1 = h.h1, h2 = h.h2;
  for (let s = 0; s < n; s++) {
    if (alive[s] === 0) continue;
    const lo = col[2 * s] | 0, hi = col[2 * s + 1] | 0;
    let k = Math.imul(lo, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h1 ^= Math.imul(k, 0x1b873593);
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    k = Math.imul(hi, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h1 ^= Math.imul(k, 0x1b873593);
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    h2 = (h2 + Math.imul(lo, 0x85ebca77)) | 0;
    h2 = (h2 << 13) | (h2 >>> 19);
    h2 = Math.imul(h2, 0x9e3779b1);
    h2 = (h2 + Math.imul(hi, 0x85ebca77)) | 0;
    h2 = (h2 << 13) | (h2 >>> 19);
    h2 = Math.imul(h2, 0x9e3779b1);
  }
  h.h1 = h1;
  h.h2 = h2;
}

/** The small columns packed two words per live slot: gen|type|team and order|stance. */
function hashSmall(h: Hasher, w: World): void {
  const { alive, gen, type, team, order, stance } = w;
  let h1 = h.h1, h2 = h.h2;
  for (let s = 0; s < w.highWater; s++) {
    if (alive[s] === 0) continue;
    const a = gen[s] | (type[s] << 16) | (team[s] << 24), b = order[s] | (stance[s] << 8) | (s << 12);
    let k = Math.imul(a, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h1 ^= Math.imul(k, 0x1b873593);
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    k = Math.imul(b, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h1 ^= Math.imul(k, 0x1b873593);
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    h2 = (h2 + Math.imul(a, 0x85ebca77)) | 0;
    h2 = (h2 << 13) | (h2 >>> 19);
    h2 = Math.imul(h2, 0x9e3779b1);
    h2 = (h2 + Math.imul(b, 0x85ebca77)) | 0;
    h2 = (h2 << 13) | (h2 >>> 19);
    h2 = Math.imul(h2, 0x9e3779b1);
  }
  h.h1 = h1;
  h.h2 = h2;
}

/** Feeds the whole world (live units column by column in slot order, teams, relations, PRNG) into `h`. */
export function hashWorld(h: Hasher, w: World): void {
  hashWord(h, w.turn);
  hashWord(h, w.highWater);
  hashWord(h, w.liveCount);
  for (let i = 0; i < 4; i++) hashWord(h, w.rng[i]);
  hashWord(h, w.teamCount);
  for (let i = 0; i < w.relations.length; i++) hashWord(h, w.relations[i]);
  for (let t = 0; t < w.teamCount; t++) {
    hashWord(h, w.stats.lost[t]);
    hashWord(h, w.stats.retreated[t]);
    hashWord(h, w.stats.crewSaved[t]);
    hashFloat(h, w.stats.lostValue[t]);
    hashFloat(h, w.stats.killedValue[t]);
  }
  const n = w.highWater, a = w.alive;
  hashSmall(h, w); // includes each live slot's index, so occupancy is hashed too
  for (const col of [w.owner, w.squad, w.hull, w.shield, w.cooldown, w.ammo, w.target, w.focus, w.activeAt, w.launchLeft, w.launchCd]) hashI32(h, a, n, col);
  for (const col of [w.x, w.y, w.fuel, w.orderX, w.orderY, w.orderSpeed]) hashF64(h, a, n, bitsOf(col));
  // the free list decides future slots, so it is state too
  hashWord(h, w.freeTop);
  hashI32(h, null, w.freeTop, w.free);
  // and the generations waiting in free slots: they decide the ids of units spawned later
  for (let i = 0; i < w.freeTop; i++) hashWord(h, w.gen[w.free[i]]);
}
