// Fog of war. A team sees its own units, its allies' units, and any other unit inside its sensor
// coverage. Coverage is stamped on a fine grid, cell by cell, only where a cell lies wholly inside
// some unit's sensor range: an under-approximation, so a unit we send is always really in range
// (never a wallhack); one at the very rim of coverage may show up a turn or two late.

import { UNIT_STATS } from '../../actors/unit/catalog.js';
import type { TurnFrame } from '../../actors/sector/frame.js';

export const COVERAGE_CELL = 50;

export interface Visibility {
  teamCount: number;
  cols: number;
  rows: number;
  coverage: Uint8Array; // [team][cell] 1 = covered
  /** visible[team * count + i]: unit i of the frame is visible to team. */
  visible: Uint8Array;
  count: number;
}

// disk stencils (cells whose whole cell is within range of any point of the centre cell), per sensor range, as
// one row span per dy: [dy, half width] pairs (the disk is symmetric, so each row is -w..w)
const stencils = new Map<number, Int32Array>();
function stencil(range: number): Int32Array {
  let s = stencils.get(range);
  if (s) return s;
  const r = range - COVERAGE_CELL * Math.SQRT2; // a point anywhere in the centre cell reaches all of a cell whose centre is this close
  const out: number[] = [];
  const k = Math.floor(r / COVERAGE_CELL);
  for (let dy = -k; dy <= k; dy++) {
    let w = -1;
    for (let dx = 0; dx <= k; dx++) if ((dx * dx + dy * dy) * COVERAGE_CELL * COVERAGE_CELL <= r * r) w = dx;
    if (w >= 0) out.push(dy, w);
  }
  stencils.set(range, (s = Int32Array.from(out)));
  return s;
}

const SENSOR = UNIT_STATS.map((s) => s.sensorRange);
// the widest range already stamped per (team, coverage cell) this turn: dense formations stamp once
let stampedRange = new Float64Array(0);

export function computeVisibility(f: TurnFrame, out?: Visibility): Visibility {
  const cols = Math.max(1, Math.ceil(f.width / COVERAGE_CELL)), rows = Math.max(1, Math.ceil(f.height / COVERAGE_CELL));
  const T = f.teamCount, n = f.count, cells = cols * rows;
  const v: Visibility = out && out.teamCount === T && out.cols === cols && out.rows === rows && out.visible.length >= T * n
    ? out
    : { teamCount: T, cols, rows, coverage: new Uint8Array(T * cells), visible: new Uint8Array(T * Math.max(n, 1)), count: n };
  v.count = n;
  const cov = v.coverage;
  cov.fill(0);
  if (stampedRange.length < T * cells) stampedRange = new Float64Array(T * cells);
  const stamped = stampedRange;
  stamped.fill(0, 0, T * cells);
  for (let i = 0; i < n; i++) {
    if (f.deploying[i] === 1) continue;
    const range = SENSOR[f.type[i]];
    const cx = Math.min(cols - 1, Math.max(0, Math.floor(f.x[i] / COVERAGE_CELL)));
    const cy = Math.min(rows - 1, Math.max(0, Math.floor(f.y[i] / COVERAGE_CELL)));
    const key = (f.team[i] * cells + cy * cols + cx);
    if (stamped[key] >= range) continue;
    stamped[key] = range;
    const st = stencil(range);
    const base = f.team[i] * cells;
    for (let j = 0; j < st.length; j += 2) {
      const y = cy + st[j];
      if (y < 0 || y >= rows) continue;
      const row = base + y * cols;
      for (let x = Math.max(0, cx - st[j + 1]), x1 = Math.min(cols - 1, cx + st[j + 1]); x <= x1; x++) cov[row + x] = 1;
    }
  }
  const vis = v.visible;
  for (let t = 0; t < T; t++) {
    const o = t * n, base = t * cells;
    for (let i = 0; i < n; i++) {
      const u = f.team[i];
      if (u === t || f.relations[t * T + u] === 1) { vis[o + i] = 1; continue; } // own and allied
      const cx = Math.min(cols - 1, Math.max(0, Math.floor(f.x[i] / COVERAGE_CELL)));
      const cy = Math.min(rows - 1, Math.max(0, Math.floor(f.y[i] / COVERAGE_CELL)));
      vis[o + i] = cov[base + cy * cols + cx];
    }
  }
  return v;
}

/** Exact check, for tests and audits: is unit i of the frame within sensor range of a deployed unit of `team`? */
export function inSensorRange(f: TurnFrame, team: number, i: number): boolean {
  for (let j = 0; j < f.count; j++) {
    if (f.team[j] !== team || f.deploying[j] === 1) continue;
    const dx = f.x[j] - f.x[i], dy = f.y[j] - f.y[i], r = SENSOR[f.type[j]];
    if (dx * dx + dy * dy <= r * r) return true;
  }
  return false;
}
