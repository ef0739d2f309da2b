// Generated battles for the CLI, the demo, tests and benchmarks: N teams of gold-tier players
// (≤100 units each) organised supreme commander → admirals → captains → pilots.

import type { Command } from '../model/commands.js';
import type { Role } from '../model/roles.js';
import type { BattleSetup, PlayerSetup, TeamSetup } from './setup.js';

export interface ScenarioOptions {
  teams: number;
  units: number;
  seed: number;
  turnsPerSecond?: number;
  independents?: number;
  waves?: BattleSetup['waves'];
  deploySeconds?: number;
  unitsPerPlayer?: number; // default 100 (a gold player's limit); fewer makes more players
}

// Share of each unit type in a generated fleet, per 200 units.
const MIX: [string, number][] = [
  ['basic_drone', 140], ['defense_drone', 24], ['elite_drone', 12], ['corvette', 14], ['destroyer', 6], ['battleship', 3], ['carrier', 1],
];
const MIX_TOTAL = MIX.reduce((n, [, k]) => n + k, 0);
export const TEAM_NAMES = ['Alpha', 'Beta', 'Gamma', 'Delta', 'Epsilon', 'Zeta', 'Eta', 'Theta'];
const PER_PLAYER = 100;
const PILOTS_PER_CAPTAIN = 4;
const CAPTAINS_PER_ADMIRAL = 4;

function fleetTypes(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let k = i % MIX_TOTAL;
    for (const [type, share] of MIX) {
      if (k < share) { out.push(type); break; }
      k -= share;
    }
  }
  return out;
}

function teamPlayers(team: string, units: number, perPlayer = PER_PLAYER): PlayerSetup[] {
  const types = fleetTypes(units);
  const count = Math.max(1, Math.ceil(units / perPlayer));
  const players: PlayerSetup[] = [];
  let admiral: string | undefined, captain: string | undefined;
  let captainsUnderAdmiral = 0, pilotsUnderCaptain = 0;
  for (let i = 0; i < count; i++) {
    let role: Role;
    if (i === 0) role = 'supreme_commander';
    else if (admiral === undefined || captainsUnderAdmiral === CAPTAINS_PER_ADMIRAL) role = 'admiral';
    else if (captain === undefined || pilotsUnderCaptain === PILOTS_PER_CAPTAIN) role = 'captain';
    else role = 'pilot';
    const id = `${team.toLowerCase()}-${role === 'supreme_commander' ? 'sc' : role}-${i}`;
    const fleet: Record<string, number> = {};
    for (const t of types.slice(i * perPlayer, (i + 1) * perPlayer)) fleet[t] = (fleet[t] ?? 0) + 1;
    const p: PlayerSetup = { id, role, tier: 'gold', credits: 100_000, fleet };
    if (role === 'admiral') { admiral = id; captainsUnderAdmiral = 0; captain = undefined; }
    if (role === 'captain') { p.admiral = admiral; captain = id; captainsUnderAdmiral++; pilotsUnderCaptain = 0; }
    if (role === 'pilot') { p.captain = captain; pilotsUnderCaptain++; }
    players.push(p);
  }
  return players;
}

export function generateSetup(o: ScenarioOptions): BattleSetup {
  const teams: TeamSetup[] = [];
  const indep = o.independents ?? 0;
  const perTeam = Math.floor(o.units / o.teams);
  for (let t = 0; t < o.teams; t++) {
    const name = TEAM_NAMES[t] ?? `Team${t + 1}`;
    const units = perTeam + (t < o.units % o.teams ? 1 : 0);
    teams.push({ name, players: teamPlayers(name, units, Math.min(PER_PLAYER, o.unitsPerPlayer ?? PER_PLAYER)) });
  }
  for (let i = 0; i < indep; i++) {
    teams.push({ name: `Independent${i + 1}`, independent: true, players: [{ id: `indie-${i + 1}`, role: 'supreme_commander', tier: 'gold', credits: 50_000, fleet: { corvette: 2, basic_drone: 18 } }] });
  }
  return {
    battleId: `battle-${o.seed}`,
    seed: o.seed,
    turnsPerSecond: o.turnsPerSecond ?? 10,
    waves: o.waves === undefined ? null : o.waves,
    deploySeconds: o.deploySeconds,
    teams,
  };
}

/** Each supreme commander's opening order: the whole team attack-moves on the sector's centre. */
export function openingOrders(setup: BattleSetup, width: number, height: number): Command[] {
  return setup.teams.map((t, i) => ({
    id: `open-${i}`,
    player: t.players.find((p) => p.role === 'supreme_commander')?.id ?? t.players[0].id,
    kind: 'attack_move' as const,
    scope: { team: true as const },
    x: width / 2,
    y: height / 2,
  }));
}
