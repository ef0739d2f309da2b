// Which node runs which team's actors when a sector overflows: whole teams (a chain of command stays on
// one node), biggest first, each to the node with the fewest players so far. The primary is node 0.

export interface TeamLoad { team: number; players: number }

/** Nodes wanted for `players` fighting players, `perNode` each, bounded by the nodes and teams available. */
export function nodesWanted(players: number, perNode: number, available: number, teams: number): number {
  return Math.max(1, Math.min(Math.ceil(players / Math.max(1, perNode)), available, teams));
}

/** Team index → node slot (0 = the primary), deterministic for the same loads. */
export function assignTeams(loads: readonly TeamLoad[], nodes: number): Map<number, number> {
  const sorted = [...loads].sort((a, b) => b.players - a.players || a.team - b.team);
  const perNode = new Array<number>(nodes).fill(0);
  const out = new Map<number, number>();
  for (const { team, players } of sorted) {
    let best = 0;
    for (let n = 1; n < nodes; n++) if (perNode[n] < perNode[best]) best = n;
    perNode[best] += players;
    out.set(team, best);
  }
  return out;
}
