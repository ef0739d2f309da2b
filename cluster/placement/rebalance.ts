// Least-loaded placement and gradual rebalancing: a plan of sector moves from the most to the least
// loaded node, at most `maxMoves` per round, so a node that joins takes load a little at a time.

import type { NodeInfo } from './placement.js';

export interface SectorLoad { sector: string; node: string; units: number; players: number; turnMs: number }
export interface Move { sector: string; from: string; to: string }

/** A node's load as one number: units dominate turn cost, players the fan-out. */
export function loadScore(units: number, players: number, turnMs: number): number {
  return units + 20 * players + 100 * turnMs;
}

/** The node to place a new sector on: the least loaded (ties: lowest id). */
export function leastLoaded(nodes: readonly NodeInfo[]): NodeInfo | undefined {
  return [...nodes].sort((a, b) => loadScore(a.load.units, a.load.players, a.load.turnMs) - loadScore(b.load.units, b.load.players, b.load.turnMs) || (a.id < b.id ? -1 : 1))[0];
}

export function planRebalance(nodes: readonly string[], sectors: readonly SectorLoad[], maxMoves = 1): Move[] {
  const load = new Map(nodes.map((n) => [n, 0]));
  for (const s of sectors) load.set(s.node, (load.get(s.node) ?? 0) + loadScore(s.units, s.players, s.turnMs));
  const placed = sectors.map((s) => ({ ...s }));
  const moves: Move[] = [];
  while (moves.length < maxMoves) {
    const order = [...load].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
    const [light, lightLoad] = order[0];
    // heaviest, ties by lowest id
    const [heavy, heavyLoad] = order.reduce((h, x) => (x[1] > h[1] || (x[1] === h[1] && x[0] < h[0]) ? x : h), order[order.length - 1]);
    if (light === heavy) break;
    // the sector whose move narrows the gap the most, without overshooting it
    let best: (typeof placed)[number] | undefined, bestGap = heavyLoad - lightLoad;
    for (const s of placed) {
      if (s.node !== heavy) continue;
      const w = loadScore(s.units, s.players, s.turnMs);
      const gap = Math.abs((heavyLoad - w) - (lightLoad + w));
      if (gap < bestGap || (gap === bestGap && best && s.sector < best.sector)) { best = s; bestGap = gap; }
    }
    if (!best) break;
    const w = loadScore(best.units, best.players, best.turnMs);
    moves.push({ sector: best.sector, from: heavy, to: light });
    load.set(heavy, heavyLoad - w);
    load.set(light, lightLoad + w);
    best.node = light;
  }
  return moves;
}
