// Turns a decoded protobuf Command into the model's order. The player is always the session's
// (from the signed token), never anything the client wrote; the id is namespaced by player.

import type { ClientMsg } from './codec.js';

type Obj = Record<string, unknown>;
const STANCES = ['aggressive', 'balanced', 'defensive'];
const FORMATIONS = ['box', 'line', 'column', 'wedge'];
const RETREATS = ['escape_pods', 'fighting_withdrawal', 'scorched_earth'];
const DIPLOMACY = ['propose_truce', 'accept_truce', 'break_truce', 'propose_alliance', 'accept_alliance', 'break_alliance'];

function scope(s: unknown): Obj | undefined {
  if (!s || typeof s !== 'object') return undefined;
  const o = s as { units?: number[]; squadron?: string; team?: boolean };
  if (o.team) return { team: true };
  if (o.squadron) return { squadron: o.squadron };
  if (o.units && o.units.length > 0) return { units: o.units };
  return {}; // rejected by the model's parser as MALFORMED
}

/** The model order for a client command (shape checks stay with `parseCommand`), or null when no order is set. */
export function toModelCommand(player: string, c: NonNullable<ClientMsg['command']>): Obj | null {
  const id = `${player}/${c.id}`;
  const o = c.order ? (c[c.order] as Obj) : undefined;
  if (!c.order || !o) return null;
  // plain literals, no spreads: this runs for every order a client sends
  switch (c.order) {
    case 'move': return o.speed ? { id, player, kind: 'move', scope: scope(o.scope), x: o.x, y: o.y, speed: o.speed } : { id, player, kind: 'move', scope: scope(o.scope), x: o.x, y: o.y };
    case 'attackMove': return { id, player, kind: 'attack_move', scope: scope(o.scope), x: o.x, y: o.y };
    case 'attack': return { id, player, kind: 'attack', scope: scope(o.scope), target: o.target };
    case 'stance': return { id, player, kind: 'stance', scope: scope(o.scope), stance: STANCES[o.stance as number] };
    case 'formation': return { id, player, kind: 'formation', squadron: o.squadron, formation: FORMATIONS[o.formation as number] };
    case 'hold': return { id, player, kind: 'hold', scope: scope(o.scope) };
    case 'regroup': return { id, player, kind: 'regroup', scope: scope(o.scope) };
    case 'retreat': return { id, player, kind: 'retreat', mode: RETREATS[o.mode as number] };
    case 'transfer': return { id, player, kind: 'transfer', from: o.fromUnit, to: o.toUnit, fuel: o.fuel, ammunition: o.ammunition };
    case 'diplomacy': return { id, player, kind: DIPLOMACY[o.action as number] ?? 'unknown', team: o.team };
    default: return null;
  }
}
