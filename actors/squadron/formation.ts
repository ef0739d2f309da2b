// Formation offsets: where member i of n stands relative to the squadron's destination,
// facing (dx, dy) (unit vector). Arithmetic only, so every machine computes the same positions.

import type { Formation } from '../model/roster.js';

export const FORMATION_SPACING = 15;

export function formationOffset(f: Formation, i: number, n: number, dx: number, dy: number, out: Float64Array): void {
  const px = -dy, py = dx; // perpendicular: the formation's width axis
  const s = FORMATION_SPACING;
  let along = 0, across = 0;
  switch (f) {
    case 'line':
      across = (i - (n - 1) / 2) * s;
      break;
    case 'column':
      along = -i * s;
      break;
    case 'wedge': {
      const row = Math.ceil(i / 2);
      along = -row * s;
      across = (i % 2 === 1 ? -1 : 1) * row * s;
      break;
    }
    default: { // box
      const side = Math.ceil(Math.sqrt(n));
      const col = i % side, row = (i - col) / side;
      across = (col - (side - 1) / 2) * s;
      along = -(row - (side - 1) / 2) * s;
    }
  }
  out[0] = dx * along + px * across;
  out[1] = dy * along + py * across;
}
