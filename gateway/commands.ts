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
  const base = { id, player };
  switch (c.order) {
    case 'move': return { ...base, kind: 'move', scope: scope(o.scope), x: o.x, y: o.y, ...(o.speed ? { speed: o.speed } : {}) };
    case 'attackMove': return { ...base, kind: 'attack_move', scope: scope(o.scope), x: o.x, y: o.y };
    case 'attack': return { ...base, kind: 'attack', scope: scope(o.scope), target: o.target };
    case 'stance': return { ...base, kind: 'stance', scope: scope(o.scope), stance: STANCES[o.stance as number] };
    case 'formation': return { ...base, kind: 'formation', squadron: o.squadron, formation: FORMATIONS[o.formation as number] };
    case 'hold': return { ...base, kind: 'hold', scope: scope(o.scope) };
    case 'regroup': return { ...base, kind: 'regroup', scope: scope(o.scope) };
    case 'retreat': return { ...base, kind: 'retreat', mode: RETREATS[o.mode as number] };
    case 'transfer': return { ...base, kind: 'transfer', from: o.fromUnit, to: o.toUnit, fuel: o.fuel, ammunition: o.ammunition };
    case 'diplomacy': return { ...base, kind: DIPLOMACY[o.action as number] ?? 'unknown', team: o.team };
    default: return null;
  }
}
