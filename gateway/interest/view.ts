// Which cells a client gets, and at what level of detail: full detail around its own units, its
// squadrons and its camera, coarse detail in a ring beyond, aggregated counts everywhere else.
// How far detail reaches depends on the player's role and the sector's chaos level (seeds' adaptive
// UI: relevance and proximity filters tighten as the battle gets crowded).

import type { ChaosLevel } from '../../actors/model/scale.js';
import { LOD_COARSE, LOD_DETAIL } from './cells.js';
import type { TurnView } from './turn-view.js';

export type ViewerRole = 'supreme_commander' | 'admiral' | 'captain' | 'pilot' | 'spectator';

// detail radius in interest cells, by role, for chaos low / medium / high / extreme
const DETAIL: Record<ViewerRole, [number, number, number, number]> = {
  pilot: [2, 2, 1, 1],
  captain: [2, 2, 1, 1],
  admiral: [1, 1, 1, 0],
  supreme_commander: [1, 1, 0, 0],
  spectator: [2, 2, 2, 2],
};
const CHAOS_INDEX: Record<ChaosLevel, number> = { low: 0, medium: 1, high: 2, extreme: 3 };
/** Rings of coarse cells beyond the detail area. */
export const COARSE_RING = 1;

export function detailRadius(role: ViewerRole, chaos: ChaosLevel): number {
  return DETAIL[role][CHAOS_INDEX[chaos]];
}

export interface ViewerSpec {
  view: number; // team index, or GOD_VIEW
  playerIndex: number; // -1 for spectators
  squadrons: readonly number[]; // squadrons whose centres anchor the view (commanders)
  focusX: number; // camera (NaN: none)
  focusY: number;
  radius: number; // detail radius in cells
}

/** The cells a viewer wants this turn: parallel arrays, `count` entries, each cell once. */
export interface Wanted {
  count: number;
  cells: Int32Array;
  lods: Uint8Array;
  /** lodOf[cell] is the cell's LOD + 1 when `mark[cell] === generation`. */
  mark: Int32Array;
  lodOf: Uint8Array;
  generation: number;
}

export function createWanted(): Wanted {
  return { count: 0, cells: new Int32Array(256), lods: new Uint8Array(256), mark: new Int32Array(0), lodOf: new Uint8Array(0), generation: 0 };
}

export function isWanted(w: Wanted, cell: number): boolean {
  return cell < w.mark.length && w.mark[cell] === w.generation;
}

// scratch for anchors, each anchor cell once
let anchors = new Int32Array(1024);
let anchorMark = new Int32Array(0);
let anchorGen = 0;

let anchorCount = 0;
function addAnchor(tv: TurnView, x: number, y: number): void {
  const c = tv.cellAt(x, y);
  if (anchorMark[c] === anchorGen) return;
  anchorMark[c] = anchorGen;
  if (anchorCount === anchors.length) { const a = new Int32Array(anchorCount * 2); a.set(anchors); anchors = a; }
  anchors[anchorCount++] = c;
}

/** Fills `out` with the cells this viewer wants and their level of detail. */
export function wantedCells(tv: TurnView, spec: ViewerSpec, out: Wanted): void {
  const total = tv.cols * tv.rows;
  if (anchorMark.length < total) anchorMark = new Int32Array(total);
  if (out.mark.length < total) { out.mark = new Int32Array(total); out.lodOf = new Uint8Array(total); out.generation = 0; }
  if (++anchorGen === 0x7fffffff) { anchorMark.fill(0); anchorGen = 1; }
  if (++out.generation === 0x7fffffff) { out.mark.fill(0); out.generation = 1; }
  out.count = 0;
  anchorCount = 0;
  if (spec.playerIndex >= 0) {
    const items = tv.ownerItems, x = tv.frame.x, y = tv.frame.y;
    for (let k = tv.ownerStart[spec.playerIndex + 1], end = tv.ownerStart[spec.playerIndex + 2]; k < end; k++) addAnchor(tv, x[items[k]], y[items[k]]);
  }
  for (const q of spec.squadrons) if (q < tv.squadN.length && tv.squadN[q] > 0) addAnchor(tv, tv.squadX[q] / tv.squadN[q], tv.squadY[q] / tv.squadN[q]);
  if (Number.isFinite(spec.focusX) && Number.isFinite(spec.focusY)) addAnchor(tv, spec.focusX, spec.focusY);
  const n = anchorCount;
  const outer = spec.radius + COARSE_RING;
  const gen = out.generation;
  for (let a = 0; a < n; a++) {
    const c = anchors[a];
    const cx = c % tv.cols, cy = (c - cx) / tv.cols;
    const y0 = Math.max(0, cy - outer), y1 = Math.min(tv.rows - 1, cy + outer);
    const x0 = Math.max(0, cx - outer), x1 = Math.min(tv.cols - 1, cx + outer);
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const cell = y * tv.cols + x;
        const lod = Math.abs(x - cx) <= spec.radius && Math.abs(y - cy) <= spec.radius ? LOD_DETAIL : LOD_COARSE;
        if (out.mark[cell] !== gen) {
          out.mark[cell] = gen;
          out.lodOf[cell] = lod + 1;
          if (out.count === out.cells.length) {
            const cs = new Int32Array(out.count * 2); cs.set(out.cells); out.cells = cs;
            const ls = new Uint8Array(out.count * 2); ls.set(out.lods); out.lods = ls;
          }
          out.cells[out.count] = cell;
          out.lods[out.count++] = lod;
        } else if (lod + 1 < out.lodOf[cell]) {
          out.lodOf[cell] = lod + 1;
          for (let i = out.count - 1; i >= 0; i--) if (out.cells[i] === cell) { out.lods[i] = lod; break; }
        }
      }
    }
  }
}
