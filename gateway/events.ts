// Events per client, filtered for relevance: a team's events (its own losses and kills, joins and
// retreats in the team, waves, diplomacy everyone sees) are encoded once per team per turn; orders
// from a superior are addressed to the one player they concern. Both ride the client's next update.

import { eventsField, type GameEvent } from './along.js';
import type { TurnFrame } from '../actors/sector/frame.js';
import { EventKind } from '../actors/unit/enums.js';
import type { TurnView } from './interest/turn-view.js';


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
  for (let i = 0; i < k.length; i += 4) {
    if (k[i] !== EventKind.DESTROYED) continue;
    const victim = k[i + 1], killer = k[i + 2];
    const killerTeam = killer >= 0 ? teamIn(tv, killer) ?? (prev ? teamIn(prev, killer) : undefined) : undefined;
    const victimTeam = prev ? teamIn(prev, victim) : undefined; // gone from this turn's frame
    if (victimTeam !== team && killerTeam !== team) continue;
    // name the killer only if this team can see it: a hidden shooter's id would leak past the fog of war
    const ki = killer >= 0 ? tv.indexOfId(killer) : -1;
    const seen = ki >= 0 && tv.isVisible(team, ki);
    out.push({ type: 'destroyed', unit: victim, other: seen ? killer : 0 });
  }
  return out.length === 0 ? null : eventsField(f.turn, out);
}

/** Each player's own events of the turn (orders from their superiors), encoded once per turn. */
export function playerEvents(f: TurnFrame): Map<string, Uint8Array> {
  const byPlayer = new Map<string, GameEvent[]>();
  for (const e of f.events) {
    if (e.type !== 'order_received') continue;
    let list = byPlayer.get(e.to);
    if (!list) byPlayer.set(e.to, (list = []));
    list.push({ type: 'order_received', player: e.to, from: e.from, text: e.order });
  }
  const out = new Map<string, Uint8Array>();
  for (const [player, events] of byPlayer) out.set(player, eventsField(f.turn, events));
  return out;
}

/** The team of unit `id` in a frame, or undefined when the frame does not hold it. */
function teamIn(tv: TurnView, id: number): number | undefined {
  const i = tv.indexOfId(id);
  return i >= 0 ? tv.frame.team[i] : undefined;
}
