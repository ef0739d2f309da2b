// Runs a generated battle turn by turn without actors: the engine behind `sectorwars simulate`.

import { performance } from 'node:perf_hooks';
import { isDecided, leadingTeam, unitsPerTeam, type Battle } from './battle.js';
import { generateSetup, openingOrders, type ScenarioOptions } from './scenario.js';
import { createBattle, type BattleSetup } from './setup.js';
import { runTurn } from './turn.js';
import type { LogEntry } from './replay.js';

export interface SimulationResult {
  battleId: string;
  winner: string;
  decided: boolean;
  turns: number;
  finalStateHash: string;
  hashes: string[];
  turnMs: { p50: number; p99: number; max: number };
  losses: Record<string, { units: number; credits: number; unitsLeft: number }>;
  log: LogEntry[];
  setup: BattleSetup;
}

export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

export function simulate(o: ScenarioOptions & { turns: number; stopWhenDecided?: boolean; onProgress?: (turn: number) => void }): SimulationResult {
  const setup = generateSetup(o);
  const battle: Battle = createBattle(setup);
  const opening = openingOrders(setup, battle.world.width, battle.world.height);
  const log: LogEntry[] = [{ turn: 1, commands: opening }];
  const hashes: string[] = [];
  const ms = new Float64Array(o.turns);
  let t = 0;
  let decided = false;
  for (; t < o.turns; t++) {
    const start = performance.now();
    const out = runTurn(battle, t === 0 ? opening : []);
    ms[t] = performance.now() - start;
    hashes.push(out.hash);
    o.onProgress?.(t + 1);
    if (o.stopWhenDecided !== false && isDecided(battle)) { decided = true; t++; break; }
  }
  const sorted = ms.slice(0, t).sort();
  const left = unitsPerTeam(battle);
  const losses: SimulationResult['losses'] = {};
  battle.roster.teams.forEach((team, i) => {
    losses[team.name] = { units: battle.world.stats.lost[i], credits: battle.world.stats.lostValue[i], unitsLeft: left[i] };
  });
  return {
    battleId: setup.battleId,
    winner: battle.roster.teams[leadingTeam(battle)].name,
    decided,
    turns: t,
    finalStateHash: hashes[hashes.length - 1] ?? '',
    hashes,
    turnMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] ?? 0 },
    losses,
    log,
    setup,
  };
}
