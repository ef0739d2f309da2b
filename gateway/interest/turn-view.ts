// Everything the fan-out needs about one turn, computed once and shared by all clients: units
// bucketed by interest cell and by owner, squadron centres, fog of war per team, and lazily the
// CellVersions and aggregates that some client asks for.

import { AggregateType } from '../codec.js';
import type { TurnFrame } from '../../actors/sector/frame.js';
import { computeVisibility, type Visibility } from './visibility.js';
import { CellVersion, ENTRY_FIELDS, packEntry } from './cells.js';
import { SLOT_MASK } from '../../actors/unit/world.js';

export const INTEREST_CELL = 64;

let scratchIds = new Int32Array(1024);
let scratchData = new Int32Array(1024 * ENTRY_FIELDS);
export const AGGREGATE_BLOCK = 1024;
/** The view key of spectators: every unit, no fog. */
export const GOD_VIEW = 255;

/** The per-turn lookup tables of versions, kept by the caller to reuse (see the constructor). */
export interface VersionTables {
  versions: (CellVersion | undefined)[];
  whole: (CellVersion | undefined)[];
}

export class TurnView {
  readonly cols: number;
  readonly rows: number;
  readonly cellStart: Int32Array;
  readonly cellItems: Int32Array;
  readonly ownerStart: Int32Array; // units by owner (player index + 1; 0 = team reserve)
  readonly ownerItems: Int32Array;
  readonly squadX: Float64Array;
  readonly squadY: Float64Array;
  readonly squadN: Int32Array;
  readonly vis: Visibility;
  // sized up front: written sparsely, a growing [] falls into dictionary mode (a hash lookup per cell per client)
  private readonly versions: (CellVersion | undefined)[]; // index (view slot × cells + cell) × 2 + lod
  // a cell a view sees whole has the same content for every such view: one version (and one encoding) for all of them
  private readonly whole: (CellVersion | undefined)[]; // index cell × 2 + lod
  // each unit's entry packed once per level of detail, whichever views ask for its cell
  private readonly packed: (Int32Array | null)[] = [null, null];
  private readonly packedDone: (Uint8Array | null)[] = [null, null];
  private readonly aggregates = new Map<number, Uint8Array>();

  /**
   * `tables`: version tables to reuse (the fan-out alternates two: this turn's and the previous turn's view are the
   * only ones alive), so a turn does not allocate and promote two fresh tables of every (view, cell, LOD).
   */
  constructor(readonly frame: TurnFrame, private previous: TurnView | null, playerCount: number, squadCount: number, tables?: VersionTables) {
    const f = frame;
    this.cols = Math.max(1, Math.ceil(f.width / INTEREST_CELL));
    this.rows = Math.max(1, Math.ceil(f.height / INTEREST_CELL));
    const cells = this.cols * this.rows;
    const t = tables ?? { versions: [], whole: [] };
    const nv = (f.teamCount + 1) * cells * 2, nw = cells * 2;
    if (t.versions.length !== nv || t.whole.length !== nw) { t.versions = new Array(nv); t.whole = new Array(nw); }
    this.versions = t.versions.fill(undefined);
    this.whole = t.whole.fill(undefined);
    this.cellStart = new Int32Array(cells + 1);
    this.cellItems = new Int32Array(f.count);
    const cellOf = new Int32Array(f.count);
    for (let i = 0; i < f.count; i++) {
      const c = this.cellAt(f.x[i], f.y[i]);
      cellOf[i] = c;
      this.cellStart[c + 1]++;
    }
    for (let c = 0; c < cells; c++) this.cellStart[c + 1] += this.cellStart[c];
    const cur = this.cellStart.slice(0, cells);
    for (let i = 0; i < f.count; i++) this.cellItems[cur[cellOf[i]]++] = i;

    this.ownerStart = new Int32Array(playerCount + 2);
    this.ownerItems = new Int32Array(f.count);
    for (let i = 0; i < f.count; i++) this.ownerStart[f.owner[i] + 2]++;
    for (let p = 0; p <= playerCount; p++) this.ownerStart[p + 1] += this.ownerStart[p];
    const oc = this.ownerStart.slice(0, playerCount + 1);
    for (let i = 0; i < f.count; i++) this.ownerItems[oc[f.owner[i] + 1]++] = i;

    this.squadX = new Float64Array(squadCount);
    this.squadY = new Float64Array(squadCount);
    this.squadN = new Int32Array(squadCount);
    for (let i = 0; i < f.count; i++) {
      const q = f.squad[i];
      if (q < 0 || q >= squadCount) continue;
      this.squadX[q] += f.x[i]; this.squadY[q] += f.y[i]; this.squadN[q]++;
    }
    this.vis = computeVisibility(f);
  }

  cellAt(x: number, y: number): number {
    const cx = Math.min(this.cols - 1, Math.max(0, Math.floor(x / INTEREST_CELL)));
    const cy = Math.min(this.rows - 1, Math.max(0, Math.floor(y / INTEREST_CELL)));
    return cy * this.cols + cx;
  }

  private bySlot: Int32Array | null = null;

  /** The frame index of unit `id`, or -1 when it is not in this frame (ids carry their slot: a typed lookup, no Map). */
  indexOfId(id: number): number {
    const f = this.frame;
    if (!this.bySlot) {
      let top = 0;
      for (let i = 0; i < f.count; i++) top = Math.max(top, f.id[i] & SLOT_MASK);
      this.bySlot = new Int32Array(top + 1).fill(-1);
      for (let i = 0; i < f.count; i++) this.bySlot[f.id[i] & SLOT_MASK] = i;
    }
    const slot = id & SLOT_MASK;
    const i = id >= 0 && slot < this.bySlot.length ? this.bySlot[slot] : -1;
    return i >= 0 && f.id[i] === id ? i : -1;
  }

  isVisible(view: number, i: number): boolean {
    return view === GOD_VIEW || this.vis.visible[view * this.vis.count + i] === 1;
  }

  /** The shared version of a cell for a view at a level of detail (the previous turn's object when unchanged). */
  version(view: number, cell: number, lod: number): CellVersion {
    const key = ((view === GOD_VIEW ? this.frame.teamCount : view) * this.cols * this.rows + cell) * 2 + lod;
    let v = this.versions[key];
    if (v) return v;
    const start = this.cellStart[cell], end = this.cellStart[cell + 1];
    let seesAll = true;
    for (let k = start; k < end && seesAll; k++) seesAll = this.isVisible(view, this.cellItems[k]);
    v = seesAll ? this.wholeVersion(cell, lod) : this.build(view, cell, lod, key);
    this.versions[key] = v;
    return v;
  }

  private wholeVersion(cell: number, lod: number): CellVersion {
    const key = cell * 2 + lod;
    let v = this.whole[key];
    if (!v) this.whole[key] = v = this.build(GOD_VIEW, cell, lod, -1);
    return v;
  }

  /** Packs the cell's units this view sees; reuses last turn's version when nothing in it changed. */
  private build(view: number, cell: number, lod: number, key: number): CellVersion {
    const f = this.frame;
    const start = this.cellStart[cell], end = this.cellStart[cell + 1];
    // pack into scratch first: an unchanged cell reuses last turn's version without allocating
    if (scratchIds.length < end - start) { scratchIds = new Int32Array(end - start); scratchData = new Int32Array((end - start) * ENTRY_FIELDS); }
    const packed = this.packed[lod] ??= new Int32Array(f.count * ENTRY_FIELDS);
    const done = this.packedDone[lod] ??= new Uint8Array(f.count);
    const p = this.previous && this.previous.cols === this.cols && this.previous.frame.teamCount === this.frame.teamCount ? this.previous : null;
    const old = p ? (key >= 0 ? p.versions[key] : p.whole[cell * 2 + lod]) : undefined;
    // compared with last turn's version while packing (ids first in its array, then entries)
    const oc = old ? old.cols : null, on = old ? old.size : -1;
    let same = oc !== null;
    const god = view === GOD_VIEW, vis = this.vis.visible, row = god ? 0 : view * this.vis.count;
    let n = 0;
    for (let k = start; k < end; k++) {
      const i = this.cellItems[k];
      if (!god && vis[row + i] !== 1) continue;
      const o = i * ENTRY_FIELDS;
      if (done[i] === 0) { packEntry(packed, o, f.type[i], f.team[i], f.deploying[i] === 1, f.x[i], f.y[i], f.hull[i], f.shield[i], lod); done[i] = 1; }
      const id = f.id[i];
      scratchIds[n] = id;
      const so = n * ENTRY_FIELDS;
      for (let q = 0; q < ENTRY_FIELDS; q++) scratchData[so + q] = packed[o + q];
      if (same) {
        if (n >= on || oc![n] !== id) same = false;
        else for (let q = 0, d = on + so; q < ENTRY_FIELDS; q++) if (oc![d + q] !== packed[o + q]) { same = false; break; }
      }
      n++;
    }
    if (same && n === on) return old!; // unchanged: same object, so clients holding it get nothing
    // one allocation for both columns: ids, then entries
    const both = new Int32Array(n * (1 + ENTRY_FIELDS));
    for (let k = 0; k < n; k++) both[k] = scratchIds[k];
    for (let k = 0, m = n * ENTRY_FIELDS; k < m; k++) both[n + k] = scratchData[k];
    return new CellVersion(cell, lod, both, n);
  }

  /** Per-team unit counts in coarse blocks, as this view may see them; encoded once per view per turn. */
  aggregate(view: number): Uint8Array {
    let blob = this.aggregates.get(view);
    if (blob) return blob;
    const f = this.frame;
    const cols = Math.max(1, Math.ceil(f.width / AGGREGATE_BLOCK)), rows = Math.max(1, Math.ceil(f.height / AGGREGATE_BLOCK));
    const counts = new Array<number>(cols * rows * f.teamCount).fill(0);
    for (let i = 0; i < f.count; i++) {
      if (!this.isVisible(view, i)) continue;
      const bx = Math.min(cols - 1, Math.floor(f.x[i] / AGGREGATE_BLOCK)), by = Math.min(rows - 1, Math.floor(f.y[i] / AGGREGATE_BLOCK));
      counts[(by * cols + bx) * f.teamCount + f.team[i]]++;
    }
    blob = AggregateType.encode({ blockSize: AGGREGATE_BLOCK, cols, rows, teams: f.teamCount, counts }).finish();
    this.aggregates.set(view, blob);
    return blob;
  }

  /** Forget the previous turn's view so memory does not chain back through every turn. */
  detach(): void {
    this.previous = null;
  }
}
