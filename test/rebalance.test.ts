import { describe, expect, it } from 'vitest';
import { leastLoaded, planRebalance, type SectorLoad } from '../cluster/placement/rebalance.js';

const s = (sector: string, node: string, units: number): SectorLoad => ({ sector, node, units, players: 0, turnMs: 0 });

describe('placement strategy', () => {
  it('a new node takes load gradually: at most maxMoves per round, heaviest to lightest, never overshooting', () => {
    const sectors = [s('a', 'n1', 1000), s('b', 'n1', 1000), s('c', 'n1', 1000), s('d', 'n2', 1000), s('e', 'n2', 1000), s('f', 'n2', 1000)];
    const round1 = planRebalance(['n1', 'n2', 'n3'], sectors, 1);
    expect(round1).toEqual([{ sector: 'a', from: 'n1', to: 'n3' }]);
    const all = planRebalance(['n1', 'n2', 'n3'], sectors, 10);
    expect(all).toHaveLength(2);
    const after = new Map<string, number>();
    for (const x of sectors) after.set(x.node, (after.get(x.node) ?? 0) + 1);
    for (const m of all) { after.set(m.from, after.get(m.from)! - 1); after.set(m.to, (after.get(m.to) ?? 0) + 1); }
    expect([...after.values()].sort()).toEqual([2, 2, 2]);
  });

  it('does nothing when balanced, or when a move would not help', () => {
    expect(planRebalance(['n1', 'n2'], [s('a', 'n1', 1000), s('b', 'n2', 1000)], 5)).toEqual([]);
    expect(planRebalance(['n1', 'n2'], [s('a', 'n1', 1000)], 5)).toEqual([]); // moving it just swaps the imbalance
  });

  it('least loaded node wins new sectors (ties by id)', () => {
    const node = (id: string, units: number) => ({ id, address: '', load: { sectors: 0, players: 0, units, turnMs: 0 } });
    expect(leastLoaded([node('b', 10), node('a', 10), node('c', 5)])?.id).toBe('c');
    expect(leastLoaded([node('b', 10), node('a', 10)])?.id).toBe('a');
  });
});
