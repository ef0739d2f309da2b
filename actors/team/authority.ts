// Chain of command: who may order which units. A supreme commander commands every squadron of the
// team, an admiral the squadrons reporting to them, a captain their own squadron, a pilot only the
// units they own (everyone commands their own units).

import type { Battle } from '../sector/battle.js';
import { COMMAND_KINDS, hasScope, type Command, type Scope } from '../model/commands.js';
import { findPlayer, findSquadron, findTeam, type PlayerInfo, type Roster, type SquadronInfo } from '../model/roster.js';
import { OK, reject, type Verdict } from '../model/reasons.js';
import { slotOf, type World } from '../unit/world.js';

export function canCommandSquadron(p: PlayerInfo, q: SquadronInfo): boolean {
  if (q.team !== p.team) return false;
  switch (p.role) {
    case 'supreme_commander': return true;
    case 'admiral': return q.admiral === p.index;
    case 'captain': return q.captain === p.index;
    default: return false;
  }
}

export function canCommandUnit(r: Roster, w: World, p: PlayerInfo, slot: number): boolean {
  if (w.team[slot] !== p.team) return false;
  if (w.owner[slot] === p.index) return true;
  const q = w.squad[slot];
  return q >= 0 && canCommandSquadron(p, r.squadrons[q]);
}

function authorizeScope(b: Battle, p: PlayerInfo, scope: Scope): Verdict {
  const r = b.roster;
  if ('team' in scope) {
    return p.role === 'supreme_commander' ? OK : reject('NO_AUTHORITY', `only the supreme commander orders the whole team (${p.id} is ${p.role})`);
  }
  if ('squadron' in scope) {
    const q = findSquadron(r, scope.squadron);
    if (!q) return reject('UNKNOWN_SQUADRON', `no squadron ${scope.squadron}`);
    if (q.team !== p.team) return reject('NO_AUTHORITY', `squadron ${q.id} belongs to another team`);
    return canCommandSquadron(p, q) ? OK : reject('NO_AUTHORITY', `${p.id} (${p.role}) does not command squadron ${q.id}`);
  }
  for (const id of scope.units) {
    const s = slotOf(b.world, id);
    if (s < 0) return reject('UNKNOWN_UNIT', `no unit ${id} in this battle`);
    if (b.world.team[s] !== p.team) return reject('NOT_YOUR_UNIT', `unit ${id} belongs to another team`);
    if (!canCommandUnit(r, b.world, p, s)) return reject('NO_AUTHORITY', `${p.id} (${p.role}) has no authority over unit ${id}`);
  }
  return OK;
}

/** The team layer's check of one order against the chain of command (state at the start of the turn). */
export function authorize(b: Battle, cmd: Command): Verdict {
  const r = b.roster;
  // logs are replayed without the parser, so an order kind is checked here too
  if (!COMMAND_KINDS.includes(cmd.kind)) return reject('UNKNOWN_ORDER', `unknown order kind ${JSON.stringify(cmd.kind)}`);
  const p = findPlayer(r, cmd.player);
  if (cmd.kind === 'join') {
    return p && p.status !== 'retreated' ? reject('ALREADY_JOINED', `${cmd.player} is already in this battle`) : OK;
  }
  if (!p) return reject('UNKNOWN_PLAYER', `${cmd.player} is not in this battle`);
  if (p.status === 'retreated' || p.status === 'withdrawing') return reject('PLAYER_NOT_ACTIVE', `${p.id} has retreated`);
  if (cmd.kind === 'retreat') return OK;
  if (cmd.kind === 'transfer') {
    const from = slotOf(b.world, cmd.from), to = slotOf(b.world, cmd.to);
    if (from < 0) return reject('UNKNOWN_UNIT', `no unit ${cmd.from} in this battle`);
    if (b.world.team[from] !== p.team) return reject('NOT_YOUR_UNIT', `unit ${cmd.from} belongs to another team`);
    if (!canCommandUnit(r, b.world, p, from)) return reject('NO_AUTHORITY', `${p.id} (${p.role}) has no authority over unit ${cmd.from}`);
    // one answer whether the receiver is gone or another team's: no probing for hidden units
    if (to < 0 || b.world.team[to] !== p.team) return reject('NOT_A_TEAMMATE', `no unit ${cmd.to} on ${p.id}'s team`);
    return OK;
  }
  if (cmd.kind === 'formation') {
    const q = findSquadron(r, cmd.squadron);
    if (!q) return reject('UNKNOWN_SQUADRON', `no squadron ${cmd.squadron}`);
    return canCommandSquadron(p, q) ? OK : reject('NO_AUTHORITY', `${p.id} (${p.role}) does not command squadron ${q.id}`);
  }
  if (hasScope(cmd)) return authorizeScope(b, p, cmd.scope);
  // relation orders: team diplomacy is the supreme commander's
  if (p.role !== 'supreme_commander') return reject('NO_AUTHORITY', `only a supreme commander sets relations (${p.id} is ${p.role})`);
  const other = findTeam(r, cmd.team);
  if (!other) return reject('UNKNOWN_TEAM', `no team ${cmd.team}`);
  if (other.index === p.team) return reject('SAME_TEAM', 'a team cannot change relations with itself');
  return OK;
}
