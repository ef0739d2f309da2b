// Uniform spatial grid rebuilt each turn by counting sort (O(units), no allocation after creation).
// Each cell also keeps a bitmask of the teams in it, so a search for hostiles skips friendly-only
// cells without touching their units: dense friendly formations cost nothing to look past.

import { UnitType } from './catalog.js';
import type { World } from './world.js';

export interface Grid {
  cellSize: number;
  inv: number;
  cols: number;
  rows: number;
  start: Int32Array; // cols*rows + 1 prefix offsets into items
  items: Int32Array; // slots, ordered by cell then slot
  teamMask: Uint32Array; // per cell: bit (team & 31) for every team present
  cursor: Int32Array; // scratch for the fill pass
  cellOfSlot: Int32Array; // scratch: each slot's cell from the counting pass (-1 not indexed)
  // coarse level: COARSE×COARSE cells per block, so wide searches in empty space fail fast
  ccols: number;
  crows: number;
  coarseMask: Uint32Array;
}

export const COARSE = 8;

export function createGrid(width: number, height: number, cellSize: number, capacity: number): Grid {
  const cols = Math.max(1, Math.ceil(width / cellSize));
  const rows = Math.max(1, Math.ceil(height / cellSize));
  const cells = cols * rows;
  const ccols = Math.ceil(cols / COARSE), crows = Math.ceil(rows / COARSE);
  return {
    cellSize, inv: 1 / cellSize, cols, rows,
    start: new Int32Array(cells + 1), items: new Int32Array(capacity), teamMask: new Uint32Array(cells), cursor: new Int32Array(cells),
    cellOfSlot: new Int32Array(capacity), ccols, crows, coarseMask: new Uint32Array(ccols * crows),
  };
}

export function cellOf(g: Grid, x: number, y: number): number {
  let cx = Math.floor(x * g.inv);
  let cy = Math.floor(y * g.inv);
  if (cx < 0) cx = 0; else if (cx >= g.cols) cx = g.cols - 1;
  if (cy < 0) cy = 0; else if (cy >= g.rows) cy = g.rows - 1;
  return cy * g.cols + cx;
}

/** True if some cell of the square [x±r, y±r] may hold a unit of a team in `mask` (coarse check). */
export function anyTeamNear(g: Grid, x: number, y: number, r: number, mask: number): boolean {
  const span = g.cellSize * COARSE;
  let x0 = Math.floor((x - r) / span), x1 = Math.floor((x + r) / span);
  let y0 = Math.floor((y - r) / span), y1 = Math.floor((y + r) / span);
  if (x0 < 0) x0 = 0;
  if (y0 < 0) y0 = 0;
  if (x1 >= g.ccols) x1 = g.ccols - 1;
  if (y1 >= g.crows) y1 = g.crows - 1;
  for (let cy = y0; cy <= y1; cy++) for (let cx = x0; cx <= x1; cx++) if ((g.coarseMask[cy * g.ccols + cx] & mask) !== 0) return true;
  return false;
}

/** Indexes every unit that can be targeted this turn: alive, active (deployed), not an escape pod. */
export function rebuildGrid(g: Grid, w: World): void {
  if (g.items.length < w.capacity) {
    g.items = new Int32Array(w.capacity);
    g.cellOfSlot = new Int32Array(w.capacity);
  }
  const { start, teamMask, cursor, cellOfSlot, coarseMask, cols, ccols } = g;
  const cells = g.cols * g.rows;
  start.fill(0);
  teamMask.fill(0);
  coarseMask.fill(0);
  const n = w.highWater;
  const { alive, activeAt, type, team, x, y } = w;
  const turn = w.turn;
  const pod = UnitType.ESCAPE_POD;
  for (let s = 0; s < n; s++) {
    if (alive[s] === 0 || activeAt[s] > turn || type[s] === pod) { cellOfSlot[s] = -1; continue; }
    const c = cellOf(g, x[s], y[s]);
    cellOfSlot[s] = c;
    start[c + 1]++;
    const bit = 1 << (team[s] & 31);
    teamMask[c] |= bit;
    const cx = c % cols, cy = (c - cx) / cols;
    coarseMask[((cy / COARSE) | 0) * ccols + ((cx / COARSE) | 0)] |= bit;
  }
  for (let c = 0; c < cells; c++) start[c + 1] += start[c];
  cursor.set(start.subarray(0, cells));
  const items = g.items;
  for (let s = 0; s < n; s++) {
    const c = cellOfSlot[s];
    if (c >= 0) items[cursor[c]++] = s;
  }
}
