// Rebuilding a sector from the store: the newest snapshot whose state hash verifies (a corrupt one is
// skipped for the one before), then the logged orders replayed turn by turn to the last logged turn.

import { battleHash, type Battle } from '../../actors/sector/battle.js';
import { deserializeBattle } from '../../actors/sector/snapshot.js';
import { runTurn } from '../../actors/sector/turn.js';
import type { Store } from './store.js';

export interface Recovered {
  battle: Battle;
  snapshotTurn: number;
  replayedTurns: number;
  skippedSnapshots: number;
}

/** Rebuilds the sector as of its last played turn, or as of `upTo` (replay, rollback). */
export async function recoverBattle(store: Store, sector: string, upTo = Infinity): Promise<Recovered | null> {
  let skipped = 0;
  for (const snap of await store.snapshots(sector, 50)) {
    if (snap.turn > upTo) continue;
    let battle: Battle;
    try {
      battle = deserializeBattle(snap.state);
      if (battleHash(battle) !== snap.hash) { skipped++; continue; }
    } catch { skipped++; continue; }
    const turns = await store.turnsAfter(sector, snap.turn);
    // up to the last turn known to have been played: trailing turns without orders replay empty
    const last = Math.min(upTo, Math.max(turns.length > 0 ? turns[turns.length - 1].turn : snap.turn, await store.lastTurn(sector)));
    const byTurn = new Map(turns.map((t) => [t.turn, t.commands]));
    for (let t = snap.turn + 1; t <= last; t++) runTurn(battle, byTurn.get(t) ?? []);
    return { battle, snapshotTurn: snap.turn, replayedTurns: last - snap.turn, skippedSnapshots: skipped };
  }
  return null;
}
