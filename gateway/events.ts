// Events per client, filtered for relevance: a team's message (its own losses and kills, joins and
// retreats in the team, waves, diplomacy everyone sees) is encoded once per team per turn; orders
// from a superior are addressed to the one player they concern.

import { encodeServer } from './codec.js';
import type { TurnFrame } from '../actors/sector/frame.js';
import { EventKind } from '../actors/unit/enums.js';
import type { TurnView } from './interest/turn-view.js';

interface GameEvent { type: string; unit?: number; other?: number; player?: string; from?: string; text?: string; team?: string }

export function teamEvents(f: TurnFrame, tv: TurnView, prev: TurnView | null, team: number): Uint8Array | null {
  const roster = f.roster!;
  const teamName = roster.teams[team]?.name;
  const out: GameEvent[] = [];
  for (const e of f.events) {
    switch (e.type) {
      case 'joined': if (e.team === teamName) out.push({ type: 'joined', player: e.player, team: e.team }); break;
      case 'retreat_ordered': if (roster.players.find((p) => p.id === e.player)?.team === team) out.push({ type: 'retreat', player: e.player, text: e.mode }); break;
      case 'player_retreated': if (roster.players.find((p) => p.id === e.player)?.team === team) out.push({ type: 'player_retreated', player: e.player }); break;
      case 'wave_arrived': if (e.team === teamName) out.push({ type: 'wave_arrived', team: e.team, unit: e.units }); break;
      case 'betrayal': out.push({ type: 'betrayal', team: e.by, text: e.against }); break;
      case 'proposal': if (e.to === teamName || e.from === teamName) out.push({ type: 'proposal', team: e.from, text: `${e.kind} → ${e.to}` }); break;
      case 'player_active': if (roster.players.find((p) => p.id === e.player)?.team === team) out.push({ type: 'player_active', player: e.player }); break;
      case 'relation_changed': out.push({ type: 'relation_changed', team: e.teams.join(','), text: e.relation }); break;
      default: break;
    }
  }
  // kernel events: destroyed units this team lost or killed
  const k = f.kernelEvents;
  let teamOfId: Map<number, number> | null = null;
  for (let i = 0; i < k.length; i += 4) {
    if (k[i] !== EventKind.DESTROYED) continue;
    teamOfId ??= idTeams(tv);
    const victim = k[i + 1], killer = k[i + 2];
    const killerTeam = killer >= 0 ? teamOfId.get(killer) ?? (prev ? idTeams(prev).get(killer) : undefined) : undefined;
    const victimTeam = prev ? idTeams(prev).get(victim) : undefined; // gone from this turn's frame
    if (victimTeam !== team && killerTeam !== team) continue;
    // name the killer only if this team can see it: a hidden shooter's id would leak past the fog of war
    const ki = killer >= 0 ? indexOf(tv, killer) : -1;
    const seen = ki >= 0 && tv.isVisible(team, ki);
    out.push({ type: 'destroyed', unit: victim, other: seen ? killer : 0 });
  }
  return out.length === 0 ? null : encodeServer({ events: { turn: f.turn, events: out } });
}

export function playerEvents(f: TurnFrame, player: string): Uint8Array | null {
  let out: GameEvent[] | null = null;
  for (const e of f.events) {
    if (e.type === 'order_received' && e.to === player) (out ??= []).push({ type: 'order_received', player: e.to, from: e.from, text: e.order });
  }
  return out ? encodeServer({ events: { turn: f.turn, events: out } }) : null;
}

const idIndexCache = new WeakMap<TurnView, Map<number, number>>();
function indexOf(tv: TurnView, id: number): number {
  let m = idIndexCache.get(tv);
  if (!m) {
    m = new Map();
    for (let i = 0; i < tv.frame.count; i++) m.set(tv.frame.id[i], i);
    idIndexCache.set(tv, m);
  }
  return m.get(id) ?? -1;
}

const idTeamCache = new WeakMap<TurnView, Map<number, number>>();
function idTeams(tv: TurnView): Map<number, number> {
  let m = idTeamCache.get(tv);
  if (!m) {
    m = new Map();
    const f = tv.frame;
    for (let i = 0; i < f.count; i++) m.set(f.id[i], f.team[i]);
    idTeamCache.set(tv, m);
  }
  return m;
}

