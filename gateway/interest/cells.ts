// Interest cells: the sector cut into squares. For each (view, cell, level of detail) the units a view
// may see are packed once per turn into an immutable CellVersion; a client's known state is just the
// versions it last received, so a delta is a diff of two shared versions, encoded once and reused by
// every client whose known version is the same (all gold clients of a team, for instance).

import { CellDeltaType } from '../codec.js';
import { ByteBuilder } from '../wire.js';
import { UNIT_STATS } from '../../actors/unit/catalog.js';
import { SLOT_MASK } from '../../actors/unit/world.js';

export const LOD_DETAIL = 0;
export const LOD_COARSE = 1;
/** Outer cells round positions to this many world units and condition to 8ths. */
export const COARSE_QUANTUM = 32;
export const COARSE_CONDITION_STEPS = 8;
export const FLAG_COARSE = 1;
export const FLAG_DEPLOYING = 2;
const FIELDS = 5; // per entry: type | team << 8 | flags << 16, x, y, hull, shield

const MAX_HULL = UNIT_STATS.map((s) => s.hull);
const MAX_SHIELD = UNIT_STATS.map((s) => Math.max(1, s.shields));

let serials = 0;

export class CellVersion {
  /** Names this version in diff caches: a version must not reference its predecessors (that would chain back to turn 1). */
  readonly serial = ++serials;
  private full: Uint8Array | null = null;
  // the patch from the base most clients hold (last turn's version), then any others (older bases)
  private diffBase = 0;
  private diffBlob: Uint8Array | null = null;
  private otherDiffs: Map<number, Uint8Array | null> | null = null;

  /**
   * `cols` holds the `size` unit ids, then their entries (FIELDS values each): one typed array per version, no
   * views of it (each view is another object for the collector, and versions live across turns).
   */
  constructor(readonly cell: number, readonly lod: number, readonly cols: Int32Array, readonly size: number) {}

  /** The id of entry `i`. */
  id(i: number): number {
    return this.cols[i];
  }

  /** Field `q` of entry `i` (0: type | team << 8 | flags << 16, then x, y, hull, shield). */
  field(i: number, q: number): number {
    return this.cols[this.size + i * FIELDS + q];
  }

  /** The whole cell as an encoded CellDelta with `full` set. */
  fullBlob(): Uint8Array {
    if (!this.full) {
      const w = out.reset();
      w.uint(1, this.cell);
      w.uint(2, 1);
      for (let i = 0; i < this.size; i++) writeUnit(w, this.cols[i], this.cols, this.size + i * FIELDS);
      if (this.lod !== 0) w.uint(5, this.lod);
      this.full = w.finish();
    }
    return this.full;
  }

  /** The encoded patch from `prev` (same cell and LOD) to this version; null when nothing changed. */
  diffFrom(prev: CellVersion): Uint8Array | null {
    if (this.diffBase === prev.serial) return this.diffBlob;
    const cached = this.otherDiffs?.get(prev.serial);
    if (cached !== undefined) return cached;
    const w = out.reset();
    w.uint(1, this.cell);
    const removed = rem.reset(), mid = movedId.reset(), mx = movedX.reset(), my = movedY.reset();
    let changes = 0;
    // ids at a[0..na) and b[0..nb), entries after them in the same arrays
    const a = prev.cols, b = this.cols, pd = a, d = b, na = prev.size, nb = this.size;
    let i = 0, j = 0;
    while (i < na || j < nb) {
      const sa = i < na ? a[i] & SLOT_MASK : Infinity;
      const sb = j < nb ? b[j] & SLOT_MASK : Infinity;
      if (sa < sb) { removed.varint(a[i++]); changes++; continue; }
      if (sb < sa) { writeUnit(w, b[j], d, nb + j * FIELDS); changes++; j++; continue; }
      const po = na + i * FIELDS, o = nb + j * FIELDS;
      if (a[i] !== b[j]) { removed.varint(a[i]); writeUnit(w, b[j], d, o); changes++; }
      else if (pd[po] === d[o] && pd[po + 3] === d[o + 3] && pd[po + 4] === d[o + 4]) {
        if (pd[po + 1] !== d[o + 1] || pd[po + 2] !== d[o + 2]) { mid.varint(b[j]); mx.zigzag(d[o + 1]); my.zigzag(d[o + 2]); changes++; }
      } else { writeUnit(w, b[j], d, o); changes++; }
      i++; j++;
    }
    let blob: Uint8Array | null = null;
    if (changes > 0) {
      if (removed.pos > 0) w.nested(4, removed);
      if (this.lod !== 0) w.uint(5, this.lod);
      if (mid.pos > 0) { w.nested(6, mid); w.nested(7, mx); w.nested(8, my); }
      blob = w.finish();
    }
    if (this.diffBase === 0) { this.diffBase = prev.serial; this.diffBlob = blob; } else (this.otherDiffs ??= new Map()).set(prev.serial, blob);
    return blob;
  }
}

// scratch builders: one for the cell, one for the unit being written
const out = new ByteBuilder();
const unit = new ByteBuilder(256);
const rem = new ByteBuilder(1024), movedId = new ByteBuilder(4096), movedX = new ByteBuilder(4096), movedY = new ByteBuilder(4096);

// UnitState as a repeated field 3 (upserts) of CellDelta; zero fields are omitted as proto3 does
function writeUnit(w: ByteBuilder, id: number, d: Int32Array, o: number): void {
  const u = unit.reset();
  u.uint(1, id);
  const tt = d[o], type = tt & 0xff, team = (tt >>> 8) & 0xff, flags = tt >>> 16;
  if (type) u.uint(2, type);
  if (team) u.uint(3, team);
  if (d[o + 1]) u.sint(4, d[o + 1]);
  if (d[o + 2]) u.sint(5, d[o + 2]);
  if (d[o + 3]) u.uint(6, d[o + 3]);
  if (d[o + 4]) u.uint(7, d[o + 4]);
  if (flags) u.uint(8, flags);
  w.nested(3, u);
}

/** Packs entry values for one unit at a level of detail. */
export function packEntry(out: Int32Array, o: number, type: number, team: number, deploying: boolean, x: number, y: number, hull: number, shield: number, lod: number): void {
  let flags = deploying ? FLAG_DEPLOYING : 0;
  if (lod === LOD_DETAIL) {
    out[o + 1] = Math.round(x);
    out[o + 2] = Math.round(y);
    out[o + 3] = hull < 0 ? 0 : hull;
    out[o + 4] = shield < 0 ? 0 : shield;
  } else {
    flags |= FLAG_COARSE;
    out[o + 1] = Math.round(x / COARSE_QUANTUM) * COARSE_QUANTUM;
    out[o + 2] = Math.round(y / COARSE_QUANTUM) * COARSE_QUANTUM;
    out[o + 3] = Math.max(0, Math.round((COARSE_CONDITION_STEPS * hull) / MAX_HULL[type]));
    out[o + 4] = Math.max(0, Math.round((COARSE_CONDITION_STEPS * shield) / MAX_SHIELD[type]));
  }
  out[o] = type | (team << 8) | (flags << 16);
}

export const ENTRY_FIELDS = FIELDS;

/** Decodes a CellDelta blob (tests and tools). */
export function decodeCellDelta(blob: Uint8Array): Record<string, unknown> {
  return CellDeltaType.toObject(CellDeltaType.decode(blob), { defaults: true, arrays: true });
}
