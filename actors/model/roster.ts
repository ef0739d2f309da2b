// Who fights: teams, squadrons and players with their place in the chain of command.
// Small plain objects in arrays indexed by position (never by insertion-ordered maps), so
// iteration order is part of the replayable state.

import type { Role, Tier } from './roles.js';

export const FORMATIONS = ['box', 'line', 'column', 'wedge'] as const;
export type Formation = (typeof FORMATIONS)[number];

export type PlayerStatus = 'deploying' | 'active' | 'withdrawing' | 'retreated';

export interface TeamInfo {
  index: number;
  name: string;
  independent: boolean;
  rallyX: number;
  rallyY: number;
  reputation: number;
  wavesSent: number;
}

export interface SquadronInfo {
  index: number;
  id: string;
  team: number;
  captain: number; // player index, -1 none
  admiral: number; // player index the squadron reports to, -1 = straight to the supreme commander
  formation: Formation;
}

export interface PlayerInfo {
  index: number;
  id: string;
  team: number;
  role: Role;
  tier: Tier;
  squadron: number;
  credits: number;
  status: PlayerStatus;
  activeAt: number; // turn the player's deployment phase ends
  joinedTurn: number;
}

export interface Proposal {
  from: number;
  to: number;
  kind: 'truce' | 'alliance';
}

export interface Roster {
  teams: TeamInfo[];
  squadrons: SquadronInfo[];
  players: PlayerInfo[];
  proposals: Proposal[];
}

// Lookup index by player id, rebuilt when players are added (players are never removed).
const playerIndex = new WeakMap<Roster, { size: number; byId: Map<string, PlayerInfo> }>();

export function findPlayer(r: Roster, id: string): PlayerInfo | undefined {
  let idx = playerIndex.get(r);
  if (!idx || idx.size !== r.players.length) {
    idx = { size: r.players.length, byId: new Map(r.players.map((p) => [p.id, p])) };
    playerIndex.set(r, idx);
  }
  return idx.byId.get(id);
}

export function findTeam(r: Roster, name: string): TeamInfo | undefined {
  for (const t of r.teams) if (t.name === name) return t;
  return undefined;
}

export function findSquadron(r: Roster, id: string): SquadronInfo | undefined {
  for (const q of r.squadrons) if (q.id === id) return q;
  return undefined;
}

export function supremeOf(r: Roster, team: number): PlayerInfo | undefined {
  for (const p of r.players) if (p.team === team && p.role === 'supreme_commander' && p.status !== 'retreated') return p;
  return undefined;
}

/** The squadron a new player belongs to: captains, admirals and supreme commanders lead their own. */
export function addPlayerSquadron(r: Roster, p: { id: string; team: number; role: Role; index: number }, captain?: PlayerInfo, admiral?: PlayerInfo): number {
  if (p.role === 'pilot' && captain) return captain.squadron;
  const index = r.squadrons.length;
  r.squadrons.push({
    index,
    id: `sq-${p.id}`,
    team: p.team,
    captain: p.role === 'captain' ? p.index : -1,
    admiral: p.role === 'admiral' ? p.index : admiral ? admiral.index : -1,
    formation: 'box',
  });
  return index;
}
