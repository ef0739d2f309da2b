// Unit types and their stats, from the seeds' unit economics (costs) and tiers.
// Stats are per second of game time; `compileCatalog` turns them into per-turn values for a battle's rate.

export const UnitType = {
  BASIC_DRONE: 0,
  DEFENSE_DRONE: 1,
  ELITE_DRONE: 2,
  CORVETTE: 3,
  DESTROYER: 4,
  BATTLESHIP: 5,
  CARRIER: 6,
  ESCAPE_POD: 7,
} as const;
export type UnitType = (typeof UnitType)[keyof typeof UnitType];
export const UNIT_TYPE_COUNT = 8;

export const UNIT_TYPE_NAMES = [
  'basic_drone', 'defense_drone', 'elite_drone', 'corvette', 'destroyer', 'battleship', 'carrier', 'escape_pod',
] as const;
export type UnitTypeName = (typeof UNIT_TYPE_NAMES)[number];

export interface UnitStats {
  name: UnitTypeName;
  ship: boolean; // ships carry crew (escape pods on destruction); drones do not
  hull: number;
  shields: number;
  shieldRegenPerSecond: number;
  damage: number; // per shot
  range: number; // world units
  cooldownSeconds: number;
  accuracy: number; // base hit chance 0..1
  speed: number; // world units per second
  sensorRange: number;
  fuel: number; // distance the unit can travel
  ammunition: number; // shots
  cost: number; // credits
  dronesCarried: number; // carriers launch basic drones
}

export const UNIT_STATS: readonly UnitStats[] = [
  { name: 'basic_drone', ship: false, hull: 40, shields: 10, shieldRegenPerSecond: 1, damage: 6, range: 60, cooldownSeconds: 0.5, accuracy: 0.7, speed: 60, sensorRange: 250, fuel: 6000, ammunition: 200, cost: 100, dronesCarried: 0 },
  { name: 'defense_drone', ship: false, hull: 80, shields: 60, shieldRegenPerSecond: 4, damage: 4, range: 80, cooldownSeconds: 0.4, accuracy: 0.75, speed: 45, sensorRange: 300, fuel: 5000, ammunition: 300, cost: 500, dronesCarried: 0 },
  { name: 'elite_drone', ship: false, hull: 120, shields: 80, shieldRegenPerSecond: 5, damage: 18, range: 120, cooldownSeconds: 0.6, accuracy: 0.85, speed: 70, sensorRange: 350, fuel: 8000, ammunition: 150, cost: 2000, dronesCarried: 0 },
  { name: 'corvette', ship: true, hull: 600, shields: 300, shieldRegenPerSecond: 10, damage: 30, range: 150, cooldownSeconds: 0.5, accuracy: 0.75, speed: 50, sensorRange: 400, fuel: 20000, ammunition: 400, cost: 50_000, dronesCarried: 0 },
  { name: 'destroyer', ship: true, hull: 2000, shields: 1000, shieldRegenPerSecond: 25, damage: 80, range: 200, cooldownSeconds: 0.8, accuracy: 0.7, speed: 35, sensorRange: 450, fuel: 25000, ammunition: 300, cost: 200_000, dronesCarried: 0 },
  { name: 'battleship', ship: true, hull: 8000, shields: 4000, shieldRegenPerSecond: 60, damage: 250, range: 260, cooldownSeconds: 1.2, accuracy: 0.65, speed: 25, sensorRange: 500, fuel: 30000, ammunition: 200, cost: 1_000_000, dronesCarried: 0 },
  { name: 'carrier', ship: true, hull: 6000, shields: 5000, shieldRegenPerSecond: 60, damage: 40, range: 150, cooldownSeconds: 0.6, accuracy: 0.7, speed: 20, sensorRange: 550, fuel: 30000, ammunition: 300, cost: 2_500_000, dronesCarried: 40 },
  { name: 'escape_pod', ship: false, hull: 20, shields: 0, shieldRegenPerSecond: 0, damage: 0, range: 0, cooldownSeconds: 0, accuracy: 0, speed: 80, sensorRange: 100, fuel: 1e9, ammunition: 0, cost: 0, dronesCarried: 0 },
];

/** Seconds between two drone launches of a carrier in combat. */
export const CARRIER_LAUNCH_SECONDS = 2;

export function unitTypeFromName(name: string): UnitType | undefined {
  const i = (UNIT_TYPE_NAMES as readonly string[]).indexOf(name);
  return i < 0 ? undefined : (i as UnitType);
}

/**
 * Shield points a unit type regains on `turn`: integer arithmetic that spreads a per-second rate over
 * the turns exactly (1/s at 10 turns/s is one point every tenth turn, 25/s is 3,2,3,2…).
 */
export function regenThisTurn(c: Catalog, type: number, turn: number): number {
  const r = c.shieldRegen[type], tps = c.turnsPerSecond;
  return Math.floor((turn * r) / tps) - Math.floor(((turn - 1) * r) / tps);
}

/** Per-turn stats for one battle's turn rate, as typed arrays indexed by unit type (hot-path lookups). */
export interface Catalog {
  turnsPerSecond: number;
  hull: Int32Array;
  shields: Int32Array;
  shieldRegen: Int32Array; // per second; spread over turns exactly by `regenThisTurn`
  damage: Int32Array;
  range: Float64Array;
  range2: Float64Array;
  cooldown: Int32Array; // turns
  accuracy: Float64Array;
  speed: Float64Array; // per turn
  sensor: Float64Array;
  fuel: Float64Array;
  ammunition: Int32Array;
  cost: Float64Array;
  drones: Int32Array;
  ship: Uint8Array;
  launchTurns: number;
}

export function compileCatalog(turnsPerSecond: number): Catalog {
  const n = UNIT_TYPE_COUNT;
  const c: Catalog = {
    turnsPerSecond,
    hull: new Int32Array(n), shields: new Int32Array(n), shieldRegen: new Int32Array(n), damage: new Int32Array(n),
    range: new Float64Array(n), range2: new Float64Array(n), cooldown: new Int32Array(n), accuracy: new Float64Array(n),
    speed: new Float64Array(n), sensor: new Float64Array(n), fuel: new Float64Array(n), ammunition: new Int32Array(n),
    cost: new Float64Array(n), drones: new Int32Array(n), ship: new Uint8Array(n),
    launchTurns: Math.max(1, Math.round(CARRIER_LAUNCH_SECONDS * turnsPerSecond)),
  };
  for (let t = 0; t < n; t++) {
    const s = UNIT_STATS[t];
    c.hull[t] = s.hull;
    c.shields[t] = s.shields;
    c.shieldRegen[t] = s.shieldRegenPerSecond;
    c.damage[t] = s.damage;
    c.range[t] = s.range;
    c.range2[t] = s.range * s.range;
    c.cooldown[t] = s.damage === 0 ? 0 : Math.max(1, Math.round(s.cooldownSeconds * turnsPerSecond));
    c.accuracy[t] = s.accuracy;
    c.speed[t] = s.speed / turnsPerSecond;
    c.sensor[t] = s.sensorRange;
    c.fuel[t] = s.fuel;
    c.ammunition[t] = s.ammunition;
    c.cost[t] = s.cost;
    c.drones[t] = s.dronesCarried;
    c.ship[t] = s.ship ? 1 : 0;
  }
  return c;
}
