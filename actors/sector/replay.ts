// Rebuilding a battle from its start and its command log: the basis of replays, recovery and audits.

import type { Command } from '../model/commands.js';
import type { Battle } from './battle.js';
import { createBattle, type BattleSetup } from './setup.js';
import { runTurn, type TurnOutcome } from './turn.js';

/** The ordered commands a sector applied at one turn (the turn they were resolved in). */
export interface LogEntry {
  turn: number;
  commands: Command[];
  /** The turn's roster-level events (joins, retreats, diplomacy, waves…), for the event stream; not needed to replay. */
  events?: { type: string; [k: string]: unknown }[];
}

export interface ReplayResult {
  battle: Battle;
  hashes: string[]; // hashes[i] = state hash after turn i + 1
}

export function replay(setup: BattleSetup, log: readonly LogEntry[], turns: number, onTurn?: (o: TurnOutcome) => void): ReplayResult {
  const battle = createBattle(setup);
  const byTurn = new Map<number, Command[]>();
  for (const e of log) byTurn.set(e.turn, [...(byTurn.get(e.turn) ?? []), ...e.commands]);
  const hashes: string[] = [];
  for (let t = 1; t <= turns; t++) {
    const o = runTurn(battle, byTurn.get(t) ?? []);
    hashes.push(o.hash);
    onTurn?.(o);
  }
  return { battle, hashes };
}
