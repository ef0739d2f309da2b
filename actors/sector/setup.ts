// Building a battle from a set-up description, rejecting a malformed one with INVALID_SETUP.

import { addPlayerSquadron, findPlayer, type Roster } from '../model/roster.js';
import { BattleSetupError } from '../model/reasons.js';
import { isRole, isTier, TIER_LIMITS, type Role, type Tier } from '../model/roles.js';
import { compileCatalog, UNIT_TYPE_NAMES, unitTypeFromName } from '../unit/catalog.js';
import { seedRng } from '../unit/rng.js';
import { createKernel } from '../unit/step.js';
import { createWorld, spawnUnit } from '../unit/world.js';
import { newHasher, type Battle, type BattleConfig } from './battle.js';

export interface PlayerSetup {
  id: string;
  role: Role;
  tier: Tier;
  credits?: number;
  captain?: string; // pilots: the captain whose squadron they fly in
  admiral?: string; // captains: the admiral they report to
  fleet: Record<string, number>;
}

export interface TeamSetup {
  name: string;
  independent?: boolean;
  players: PlayerSetup[];
}

export interface BattleSetup {
  battleId: string;
  seed: number;
  turnsPerSecond?: number;
  sector?: { width: number; height: number };
  deploySeconds?: number;
  waves?: { everySeconds: number; baseUnits: number; growth: number } | null;
  joinFee?: { base: number; escalationPerMinute: number };
  cellSize?: number;
  teams: TeamSetup[];
}

export const MAX_TEAMS = 8;
export const MAX_TEAMS_WITH_INDEPENDENTS = 64;
export const UNIT_SPACING = 20;

function fail(msg: string): never {
  throw new BattleSetupError(msg);
}

function positiveFinite(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(`${what} must be a positive finite number`);
  return v;
}

/** Rally points spread evenly along a rectangle inset in the sector: arithmetic only, no trigonometry. */
export function rallyPoint(i: number, n: number, width: number, height: number): [number, number] {
  const ix = width * 0.2, iy = height * 0.2;
  const w = width - 2 * ix, h = height - 2 * iy;
  const perimeter = 2 * (w + h);
  const f = i / n - Math.floor(i / n); // positions past n wrap around the rectangle
  let d = perimeter * f;
  if (d < w) return [ix + d, iy];
  d -= w;
  if (d < h) return [ix + w, iy + d];
  d -= h;
  if (d < w) return [ix + w - d, iy + h];
  d -= w;
  return [ix, iy + h - d];
}

/** Position k of n in a square block centred on (cx, cy). */
export function blockPosition(k: number, n: number, cx: number, cy: number, spacing: number, out: Float64Array): void {
  const side = Math.ceil(Math.sqrt(n));
  const col = k % side, row = (k - col) / side;
  out[0] = cx + (col - (side - 1) / 2) * spacing;
  out[1] = cy + (row - (side - 1) / 2) * spacing;
}

function fleetSize(fleet: Record<string, number>): number {
  let n = 0;
  for (const k of Object.keys(fleet)) n += fleet[k];
  return n;
}

export function validateFleet(fleet: unknown, tier: Tier, who: string): Record<string, number> {
  if (typeof fleet !== 'object' || fleet === null || Array.isArray(fleet)) fail(`${who}: fleet must map unit type names to counts`);
  const f = fleet as Record<string, unknown>;
  for (const [type, n] of Object.entries(f)) {
    if (unitTypeFromName(type) === undefined || type === 'escape_pod') fail(`${who}: unknown unit type ${JSON.stringify(type)} (known: ${UNIT_TYPE_NAMES.slice(0, 7).join(', ')})`);
    if (!Number.isInteger(n) || (n as number) < 0) fail(`${who}: count for ${type} must be a non-negative integer`);
    if ((n as number) > 0 && !TIER_LIMITS[tier].unitTypes.includes(type)) fail(`${who}: tier ${tier} may not field ${type}`);
  }
  const size = fleetSize(f as Record<string, number>);
  if (size > TIER_LIMITS[tier].unitsCommanded) fail(`${who}: ${size} units exceeds the ${tier} limit of ${TIER_LIMITS[tier].unitsCommanded}`);
  return f as Record<string, number>;
}

export function createBattle(setup: BattleSetup): Battle {
  if (typeof setup !== 'object' || setup === null) fail('set-up must be an object');
  if (typeof setup.battleId !== 'string' || setup.battleId.length === 0) fail('battleId must be a non-empty string');
  if (!Number.isInteger(setup.seed) || setup.seed < 0 || setup.seed > 0xffffffff) fail('seed must be an integer in [0, 2^32)');
  const tps = setup.turnsPerSecond ?? 10;
  if (!Number.isInteger(tps) || tps < 1 || tps > 60) fail('turnsPerSecond must be an integer from 1 to 60');
  if (!Array.isArray(setup.teams)) fail('teams must be an array');
  const teams = setup.teams;
  const regular = teams.filter((t) => !t?.independent).length;
  if (teams.length < 2) fail('a battle needs at least 2 teams (an independent counts as a team of one)');
  if (regular > MAX_TEAMS) fail(`at most ${MAX_TEAMS} teams plus independents`);
  if (teams.length > MAX_TEAMS_WITH_INDEPENDENTS) fail(`at most ${MAX_TEAMS_WITH_INDEPENDENTS} teams including independents`);

  let totalUnits = 0;
  const names = new Set<string>();
  const ids = new Set<string>();
  for (const t of teams) {
    if (typeof t !== 'object' || t === null || typeof t.name !== 'string' || t.name.length === 0) fail('every team needs a name');
    if (names.has(t.name)) fail(`duplicate team name ${t.name}`);
    names.add(t.name);
    if (!Array.isArray(t.players) || t.players.length === 0) fail(`team ${t.name} has no players`);
    if (t.independent && t.players.length !== 1) fail(`independent ${t.name} must be a team of exactly one player`);
    let supremes = 0;
    for (const p of t.players) {
      if (typeof p !== 'object' || p === null || typeof p.id !== 'string' || p.id.length === 0 || p.id.length > 64) fail(`team ${t.name}: every player needs an id (1-64 chars)`);
      if (ids.has(p.id)) fail(`duplicate player id ${p.id}`);
      ids.add(p.id);
      if (!isRole(p.role)) fail(`player ${p.id}: unknown role ${JSON.stringify(p.role)}`);
      if (!isTier(p.tier)) fail(`player ${p.id}: unknown tier ${JSON.stringify(p.tier)}`);
      if (p.role === 'supreme_commander' && ++supremes > 1) fail(`team ${t.name} has more than one supreme commander`);
      if (p.credits !== undefined && (typeof p.credits !== 'number' || !Number.isFinite(p.credits) || p.credits < 0)) fail(`player ${p.id}: credits must be a non-negative number`);
      totalUnits += fleetSize(validateFleet(p.fleet, p.tier, `player ${p.id}`));
    }
  }

  const side = Math.max(2000, Math.ceil(Math.sqrt(totalUnits) * 32));
  const width = setup.sector ? positiveFinite(setup.sector.width, 'sector.width') : side;
  const height = setup.sector ? positiveFinite(setup.sector.height, 'sector.height') : side;
  const deploySeconds = setup.deploySeconds ?? 30;
  if (!Number.isFinite(deploySeconds) || deploySeconds < 0) fail('deploySeconds must be a non-negative number');
  let waves: BattleConfig['waves'] = { everyTurns: 300 * tps, baseUnits: 20, growth: 0.5 };
  if (setup.waves === null) waves = null;
  else if (setup.waves) {
    waves = {
      everyTurns: Math.max(1, Math.round(positiveFinite(setup.waves.everySeconds, 'waves.everySeconds') * tps)),
      baseUnits: Math.round(positiveFinite(setup.waves.baseUnits, 'waves.baseUnits')),
      growth: setup.waves.growth,
    };
    if (!Number.isFinite(waves.growth) || waves.growth < 0) fail('waves.growth must be a non-negative number');
  }
  const config: BattleConfig = {
    battleId: setup.battleId, seed: setup.seed, turnsPerSecond: tps, width, height,
    deployTurns: Math.round(deploySeconds * tps),
    joinFeeBase: setup.joinFee?.base ?? 1000,
    joinFeeEscalationPerMinute: setup.joinFee?.escalationPerMinute ?? 0.25,
    waves,
    cellSize: setup.cellSize ?? 64,
  };
  if (!(config.cellSize > 0)) fail('cellSize must be positive');

  const world = createWorld({ capacity: Math.ceil(totalUnits * 1.25) + 64, width, height, teamCount: teams.length, catalog: compileCatalog(tps) });
  seedRng(world.rng, setup.seed);
  const roster: Roster = { teams: [], squadrons: [], players: [], proposals: [] };
  const pos = new Float64Array(2);
  teams.forEach((t, ti) => {
    const [rx, ry] = rallyPoint(ti, teams.length, width, height);
    roster.teams.push({ index: ti, name: t.name, independent: !!t.independent, rallyX: rx, rallyY: ry, reputation: 100, wavesSent: 0 });
    // leaders first, so a pilot's captain and a captain's admiral exist when they are placed
    const order = [...t.players].sort((a, b) => roleRank(a.role) - roleRank(b.role));
    for (const p of order) {
      const captain = p.captain !== undefined ? findPlayer(roster, p.captain) : undefined;
      const admiral = p.admiral !== undefined ? findPlayer(roster, p.admiral) : undefined;
      if (p.captain !== undefined && (!captain || captain.team !== ti || captain.role !== 'captain')) fail(`player ${p.id}: captain ${p.captain} is not a captain of ${t.name}`);
      if (p.admiral !== undefined && (!admiral || admiral.team !== ti || admiral.role !== 'admiral')) fail(`player ${p.id}: admiral ${p.admiral} is not an admiral of ${t.name}`);
      const index = roster.players.length;
      const squadron = addPlayerSquadron(roster, { id: p.id, team: ti, role: p.role, index }, captain, admiral);
      roster.players.push({ index, id: p.id, team: ti, role: p.role, tier: p.tier, squadron, credits: p.credits ?? 0, status: 'active', activeAt: 0, joinedTurn: 0 });
    }
    const teamUnits = t.players.reduce((n, p) => n + fleetSize(p.fleet), 0);
    let k = 0;
    for (const p of roster.players.filter((pl) => pl.team === ti)) {
      const fleet = t.players.find((x) => x.id === p.id)!.fleet;
      for (const typeName of UNIT_TYPE_NAMES) {
        const n = fleet[typeName] ?? 0;
        for (let i = 0; i < n; i++) {
          blockPosition(k++, teamUnits, rx, ry, UNIT_SPACING, pos);
          spawnUnit(world, unitTypeFromName(typeName)!, ti, p.index, p.squadron, clamp(pos[0], 0, width), clamp(pos[1], 0, height), 0);
        }
      }
    }
  });
  return { config, world, kernel: createKernel(world, config.cellSize), roster, events: [], hasher: newHasher() };
}

function roleRank(r: Role): number {
  return r === 'supreme_commander' ? 0 : r === 'admiral' ? 1 : r === 'captain' ? 2 : 3;
}

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
