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

// scratch for wantedCells: anchor cells, and a per-cell stamp so each anchor cell counts once
let anchors = new Int32Array(1024);
let stamp = new Int32Array(0);
let generation = 0;

/** Fills `out` with cell → level of detail for this viewer. */
export function wantedCells(tv: TurnView, spec: ViewerSpec, out: Map<number, number>): void {
  out.clear();
  const cells = tv.cols * tv.rows;
  if (stamp.length < cells) stamp = new Int32Array(cells);
  if (++generation === 0x7fffffff) { stamp.fill(0); generation = 1; }
  let n = 0;
  const add = (x: number, y: number) => {
    const c = tv.cellAt(x, y);
    if (stamp[c] === generation) return;
    stamp[c] = generation;
    if (n === anchors.length) { const a = new Int32Array(n * 2); a.set(anchors); anchors = a; }
    anchors[n++] = c;
  };
  if (spec.playerIndex >= 0) {
    const mine = tv.unitsOf(spec.playerIndex);
    for (let k = 0; k < mine.length; k++) add(tv.frame.x[mine[k]], tv.frame.y[mine[k]]);
  }
  for (const q of spec.squadrons) if (q < tv.squadN.length && tv.squadN[q] > 0) add(tv.squadX[q] / tv.squadN[q], tv.squadY[q] / tv.squadN[q]);
  if (Number.isFinite(spec.focusX) && Number.isFinite(spec.focusY)) add(spec.focusX, spec.focusY);
  const outer = spec.radius + COARSE_RING;
  for (let a = 0; a < n; a++) {
    const c = anchors[a];
    const cx = c % tv.cols, cy = (c - cx) / tv.cols;
    for (let y = Math.max(0, cy - outer); y <= Math.min(tv.rows - 1, cy + outer); y++) {
      for (let x = Math.max(0, cx - outer); x <= Math.min(tv.cols - 1, cx + outer); x++) {
        const cell = y * tv.cols + x;
        const lod = Math.abs(x - cx) <= spec.radius && Math.abs(y - cy) <= spec.radius ? LOD_DETAIL : LOD_COARSE;
        const had = out.get(cell);
        if (had === undefined || lod < had) out.set(cell, lod);
      }
    }
  }
}
