// Chain-of-command roles and subscription tiers, with the seeds' per-tier limits.

export const ROLES = ['supreme_commander', 'admiral', 'captain', 'pilot'] as const;
export type Role = (typeof ROLES)[number];

export const TIERS = ['bronze', 'silver', 'gold'] as const;
export type Tier = (typeof TIERS)[number];

export interface TierLimits {
  /** Units a player may command personally (their own fleet). */
  unitsCommanded: number;
  /** Largest battle they may join, as units per side ("50v50" ⇒ 50). */
  maxSideToJoin: number;
  /** Largest battle they may start, as units per side. */
  maxSideToStart: number;
  /** Access to massive multiplayer battles (25+ players). */
  massiveBattles: boolean;
  /** Unit types the tier may field. */
  unitTypes: readonly string[];
}

export const MASSIVE_BATTLE_PLAYERS = 25;

export const TIER_LIMITS: Record<Tier, TierLimits> = {
  bronze: { unitsCommanded: 25, maxSideToJoin: 50, maxSideToStart: 25, massiveBattles: false, unitTypes: ['basic_drone', 'corvette'] },
  silver: { unitsCommanded: 50, maxSideToJoin: 100, maxSideToStart: 100, massiveBattles: false, unitTypes: ['basic_drone', 'defense_drone', 'elite_drone', 'corvette', 'destroyer'] },
  gold: { unitsCommanded: 100, maxSideToJoin: 500, maxSideToStart: 500, massiveBattles: true, unitTypes: ['basic_drone', 'defense_drone', 'elite_drone', 'corvette', 'destroyer', 'battleship', 'carrier'] },
};

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

export function isTier(v: unknown): v is Tier {
  return typeof v === 'string' && (TIERS as readonly string[]).includes(v);
}
