// The seeds' battle-scale classes and chaos levels.

export const BATTLE_SCALES = ['SKIRMISH', 'ENGAGEMENT', 'CAMPAIGN', 'MASSIVE_WAR', 'LEGENDARY'] as const;
export type BattleScale = (typeof BATTLE_SCALES)[number];

// Lower bounds of each class (seeds: SKIRMISH 2-5 players / 10-50 units, ENGAGEMENT 6-15 / 51-200,
// CAMPAIGN 16-30 / 201-1000, MASSIVE_WAR 31-75 / 1001-5000, LEGENDARY 76+ / 5000+).
const PLAYER_FLOORS = [0, 6, 16, 31, 76];
const UNIT_FLOORS = [0, 51, 201, 1001, 5001];

function level(value: number, floors: number[]): number {
  let l = 0;
  for (let i = 0; i < floors.length; i++) if (value >= floors[i]) l = i;
  return l;
}

/** A battle is classed by whichever of its player count and unit count reaches the higher class. */
export function classifyBattle(players: number, units: number): BattleScale {
  return BATTLE_SCALES[Math.max(level(players, PLAYER_FLOORS), level(units, UNIT_FLOORS))];
}

export const CHAOS_LEVELS = ['low', 'medium', 'high', 'extreme'] as const;
export type ChaosLevel = (typeof CHAOS_LEVELS)[number];

/** Seeds: low 1-10 players in the sector, medium 11-25, high 26-50, extreme 51+. */
export function chaosLevel(players: number): ChaosLevel {
  if (players > 50) return 'extreme';
  if (players > 25) return 'high';
  if (players > 10) return 'medium';
  return 'low';
}
