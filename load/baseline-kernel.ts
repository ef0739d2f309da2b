// The floor we compare the real kernel against: a stripped-down turn (move toward the nearest
// hostile found through a uniform grid, fire with a seeded roll, apply damage, hash) and nothing else.
// Same start positions and teams as the real battle, run in the same process.

export interface Baseline {
  n: number;
  x: Float64Array;
  y: Float64Array;
  team: Uint8Array;
  hp: Int32Array;
  dmg: Int32Array;
  cell: Int32Array;
  start: Int32Array;
  items: Int32Array;
  cols: number;
  rows: number;
  cs: number;
  rng: number;
  hash: number;
}

export function createBaseline(x: Float64Array, y: Float64Array, team: Uint8Array, n: number, width: number, height: number, cs = 64): Baseline {
  const cols = Math.ceil(width / cs), rows = Math.ceil(height / cs);
  return {
    n, x: x.slice(0, n), y: y.slice(0, n), team: team.slice(0, n), hp: new Int32Array(n).fill(100), dmg: new Int32Array(n),
    cell: new Int32Array(n), start: new Int32Array(cols * rows + 1), items: new Int32Array(n), cols, rows, cs, rng: 12345, hash: 0,
  };
}

const RANGE = 60, SPEED = 6;

export function baselineStep(b: Baseline): number {
  const { n, x, y, team, hp, dmg, cell, start, items, cols, rows, cs } = b;
  start.fill(0);
  for (let i = 0; i < n; i++) {
    if (hp[i] <= 0) { cell[i] = -1; continue; }
    let cx = Math.floor(x[i] / cs), cy = Math.floor(y[i] / cs);
    cx = cx < 0 ? 0 : cx >= cols ? cols - 1 : cx;
    cy = cy < 0 ? 0 : cy >= rows ? rows - 1 : cy;
    const c = cy * cols + cx;
    cell[i] = c;
    start[c + 1]++;
  }
  for (let c = 0; c < cols * rows; c++) start[c + 1] += start[c];
  const cursor = start.slice(0, cols * rows); // one allocation per turn, the floor may be sloppy
  for (let i = 0; i < n; i++) if (cell[i] >= 0) items[cursor[cell[i]]++] = i;
  for (let i = 0; i < n; i++) {
    if (hp[i] <= 0) continue;
    const c = cell[i], cx = c % cols, cy = (c - cx) / cols;
    let best = -1, bd = Infinity;
    for (let gy = cy - 2; gy <= cy + 2; gy++) {
      if (gy < 0 || gy >= rows) continue;
      for (let gx = cx - 2; gx <= cx + 2; gx++) {
        if (gx < 0 || gx >= cols) continue;
        const k = gy * cols + gx;
        for (let j = start[k]; j < start[k + 1]; j++) {
          const t = items[j];
          if (team[t] === team[i]) continue;
          const dx = x[t] - x[i], dy = y[t] - y[i], d = dx * dx + dy * dy;
          if (d < bd) { bd = d; best = t; }
        }
      }
    }
    if (best < 0) { // no one near: advance on the centre
      const dx = 0.5 * cols * cs - x[i], dy = 0.5 * rows * cs - y[i], d = Math.sqrt(dx * dx + dy * dy) || 1;
      x[i] += (dx / d) * SPEED; y[i] += (dy / d) * SPEED;
    } else if (bd > RANGE * RANGE) {
      const d = Math.sqrt(bd);
      x[i] += ((x[best] - x[i]) / d) * SPEED; y[i] += ((y[best] - y[i]) / d) * SPEED;
    } else {
      b.rng = (Math.imul(b.rng, 1664525) + 1013904223) | 0;
      if ((b.rng >>> 0) < 0.7 * 4294967296) dmg[best] += 6;
    }
  }
  let h = b.hash;
  for (let i = 0; i < n; i++) {
    hp[i] -= dmg[i];
    dmg[i] = 0;
    h = Math.imul(h ^ hp[i], 0x9e3779b1) ^ Math.imul((x[i] * 16) | 0, 0x85ebca77) ^ ((y[i] * 16) | 0);
  }
  b.hash = h;
  return h;
}
