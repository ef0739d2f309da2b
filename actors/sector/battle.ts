// A battle: the kernel's world plus the roster, configuration and the turn's roster-level events.
// Everything the turn depends on lives here, so hashing, snapshotting or moving a Battle moves the fight.

import type { Roster } from '../model/roster.js';
import { UnitType } from '../unit/catalog.js';
import { createHasher, hashDigest, hashFloat, hashReset, hashString, hashWord, hashWorld, type Hasher } from '../unit/hash.js';
import type { Kernel } from '../unit/step.js';
import type { World } from '../unit/world.js';

export interface WaveConfig {
  everyTurns: number;
  baseUnits: number;
  growth: number; // each wave is (1 + growth × k) times the first
}

export interface BattleConfig {
  battleId: string;
  seed: number;
  turnsPerSecond: number;
  width: number;
  height: number;
  deployTurns: number;
  joinFeeBase: number;
  joinFeeEscalationPerMinute: number;
  waves: WaveConfig | null;
  cellSize: number;
}

export type BattleEvent =
  | { type: 'joined'; player: string; team: string; role: string; fee: number; units: number[] }
  | { type: 'player_active'; player: string }
  | { type: 'retreat_ordered'; player: string; mode: string }
  | { type: 'player_retreated'; player: string }
  | { type: 'order_received'; from: string; to: string; order: string; commandId: string }
  | { type: 'proposal'; kind: 'truce' | 'alliance'; from: string; to: string }
  | { type: 'relation_changed'; teams: [string, string]; relation: 'hostile' | 'allied' | 'truce' }
  | { type: 'betrayal'; by: string; against: string; reputation: number }
  | { type: 'wave_arrived'; team: string; wave: number; units: number };

export interface Battle {
  config: BattleConfig;
  world: World;
  kernel: Kernel;
  roster: Roster;
  events: BattleEvent[]; // this turn's roster-level events
  hasher: Hasher;
}

export function newHasher(): Hasher {
  return createHasher();
}

/** The 64-bit state hash (16 hex digits) of the whole battle after the last completed turn. */
export function battleHash(b: Battle): string {
  const h = b.hasher;
  hashReset(h, b.config.seed);
  hashWorld(h, b.world);
  const r = b.roster;
  hashWord(h, r.teams.length);
  for (const t of r.teams) {
    hashFloat(h, t.reputation);
    hashWord(h, t.wavesSent);
    hashFloat(h, t.rallyX);
    hashFloat(h, t.rallyY);
  }
  hashWord(h, r.squadrons.length);
  for (const q of r.squadrons) {
    hashWord(h, q.team);
    hashWord(h, q.captain);
    hashWord(h, q.admiral);
    hashString(h, q.formation);
  }
  hashWord(h, r.players.length);
  for (const p of r.players) {
    hashString(h, p.id);
    hashWord(h, p.team);
    hashWord(h, p.squadron);
    hashString(h, p.role);
    hashString(h, p.status);
    hashFloat(h, p.credits);
    hashWord(h, p.activeAt);
  }
  hashWord(h, r.proposals.length);
  for (const pr of r.proposals) {
    hashWord(h, pr.from);
    hashWord(h, pr.to);
    hashString(h, pr.kind);
  }
  return hashDigest(h);
}

/** Live units (escape pods excluded) per team. */
export function unitsPerTeam(b: Battle): Int32Array {
  const w = b.world;
  const out = new Int32Array(w.teamCount);
  for (let s = 0; s < w.highWater; s++) if (w.alive[s] === 1 && w.type[s] !== UnitType.ESCAPE_POD) out[w.team[s]]++;
  return out;
}

/** The battle is decided when no two teams with units left are hostile to each other. */
export function isDecided(b: Battle): boolean {
  const w = b.world;
  const counts = unitsPerTeam(b);
  for (let a = 0; a < w.teamCount; a++) {
    if (counts[a] === 0) continue;
    for (let c = a + 1; c < w.teamCount; c++) if (counts[c] > 0 && w.relations[a * w.teamCount + c] === 0) return false;
  }
  return true;
}

/** Winner: the team with the most fleet value left (ties: most units, then lowest index). */
export function leadingTeam(b: Battle): number {
  const w = b.world;
  const value = new Float64Array(w.teamCount);
  const counts = new Int32Array(w.teamCount);
  for (let s = 0; s < w.highWater; s++) {
    if (w.alive[s] === 0 || w.type[s] === UnitType.ESCAPE_POD) continue;
    value[w.team[s]] += w.catalog.cost[w.type[s]];
    counts[w.team[s]]++;
  }
  let best = 0;
  for (let t = 1; t < w.teamCount; t++) {
    if (value[t] > value[best] || (value[t] === value[best] && counts[t] > counts[best])) best = t;
  }
  return best;
}
