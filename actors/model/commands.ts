// The orders players give, as plain JSON-safe objects (they are logged and replayed), and the parser
// that turns untrusted input into one of them or a MALFORMED / UNKNOWN_ORDER rejection.

import { UNIT_TYPE_NAMES } from '../unit/catalog.js';
import { STANCE_NAMES } from '../unit/enums.js';
import { FORMATIONS, type Formation } from './roster.js';
import { isRole, isTier, type Role, type Tier } from './roles.js';
import { reject, type Verdict } from './reasons.js';

export type Scope = { units: number[] } | { squadron: string } | { team: true };
export type StanceName = (typeof STANCE_NAMES)[number];
export type RetreatMode = 'escape_pods' | 'fighting_withdrawal' | 'scorched_earth';
export const RETREAT_MODES: readonly RetreatMode[] = ['escape_pods', 'fighting_withdrawal', 'scorched_earth'];
export const RELATION_ORDERS = ['propose_truce', 'accept_truce', 'break_truce', 'propose_alliance', 'accept_alliance', 'break_alliance'] as const;
export type RelationOrder = (typeof RELATION_ORDERS)[number];

interface Base { id: string; player: string }
export type Command = Base & (
  | { kind: 'move'; scope: Scope; x: number; y: number; speed?: number }
  | { kind: 'attack_move'; scope: Scope; x: number; y: number }
  | { kind: 'attack'; scope: Scope; target: number }
  | { kind: 'stance'; scope: Scope; stance: StanceName }
  | { kind: 'hold'; scope: Scope }
  | { kind: 'regroup'; scope: Scope }
  | { kind: 'formation'; squadron: string; formation: Formation }
  | { kind: 'retreat'; mode: RetreatMode }
  | { kind: 'transfer'; from: number; to: number; fuel: number; ammunition: number }
  | { kind: 'join'; team: string; independent?: boolean; role: Role; tier: Tier; credits: number; fleet: Record<string, number>; captain?: string; admiral?: string }
  | { kind: RelationOrder; team: string }
);
export type CommandKind = Command['kind'];
export const COMMAND_KINDS: readonly string[] = ['move', 'attack_move', 'attack', 'stance', 'hold', 'regroup', 'formation', 'retreat', 'transfer', 'join', ...RELATION_ORDERS];
export const MAX_UNITS_PER_ORDER = 100;

export function hasScope(c: Command): c is Extract<Command, { scope: Scope }> {
  return 'scope' in c;
}

export type ParseResult = { ok: true; command: Command } | (Verdict & { ok: false });

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max = 64): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const isNum = (v: unknown): v is number => typeof v === 'number';

function bad(message: string): ParseResult {
  return reject('MALFORMED', message) as ParseResult;
}

function parseScope(v: unknown): Scope | string {
  if (!isObj(v)) return 'scope must be an object: {units:[ids]}, {squadron:id} or {team:true}';
  if ('units' in v) {
    const u = v.units;
    if (!Array.isArray(u) || u.length === 0 || u.length > MAX_UNITS_PER_ORDER) return `scope.units must list 1..${MAX_UNITS_PER_ORDER} unit ids`;
    if (!u.every((id) => Number.isInteger(id) && (id as number) >= 0)) return 'scope.units must be non-negative integer ids';
    if (new Set(u).size !== u.length) return 'scope.units lists a unit twice';
    return { units: u as number[] };
  }
  if ('squadron' in v) return isStr(v.squadron) ? { squadron: v.squadron } : 'scope.squadron must be a squadron id';
  if (v.team === true) return { team: true };
  return 'scope must be {units:[ids]}, {squadron:id} or {team:true}';
}

// orders this parser produced: a gateway in the same process parses an order, the sector gets that very object
const parsedHere = new WeakSet<object>();

/** Validates the shape of an order (not whether the game allows it: that is authority and validation). */
export function parseCommand(raw: unknown): ParseResult {
  const r = parseShape(raw);
  if (r.ok) parsedHere.add(r.command);
  return r;
}

function parseShape(raw: unknown): ParseResult {
  if (isObj(raw) && parsedHere.has(raw)) return { ok: true, command: raw as unknown as Command };
  if (!isObj(raw)) return bad('a command must be a JSON object');
  const { id, player, kind } = raw;
  if (!isStr(id, 128)) return bad('command id must be a non-empty string (≤128 chars)');
  if (!isStr(player)) return bad('player must be a non-empty string (≤64 chars)');
  if (typeof kind !== 'string' || !COMMAND_KINDS.includes(kind)) return reject('UNKNOWN_ORDER', `unknown order kind ${JSON.stringify(kind)}`) as ParseResult;
  const base = { id, player };
  switch (kind) {
    case 'move':
    case 'attack_move': {
      const scope = parseScope(raw.scope);
      if (typeof scope === 'string') return bad(scope);
      if (!isNum(raw.x) || !isNum(raw.y)) return bad('x and y must be numbers');
      // literals, not spreads: the orders every player sends build fixed-shape objects
      if (kind === 'attack_move') return { ok: true, command: { id, player, kind, scope, x: raw.x, y: raw.y } };
      if (raw.speed === undefined) return { ok: true, command: { id, player, kind, scope, x: raw.x, y: raw.y } };
      if (!isNum(raw.speed)) return bad('speed must be a number');
      return { ok: true, command: { id, player, kind, scope, x: raw.x, y: raw.y, speed: raw.speed } };
    }
    case 'attack': {
      const scope = parseScope(raw.scope);
      if (typeof scope === 'string') return bad(scope);
      if (!Number.isInteger(raw.target) || (raw.target as number) < 0) return bad('target must be a unit id');
      return { ok: true, command: { id, player, kind, scope, target: raw.target as number } };
    }
    case 'stance': {
      const scope = parseScope(raw.scope);
      if (typeof scope === 'string') return bad(scope);
      if (!(STANCE_NAMES as readonly unknown[]).includes(raw.stance)) return bad(`stance must be one of ${STANCE_NAMES.join(', ')}`);
      return { ok: true, command: { id, player, kind, scope, stance: raw.stance as StanceName } };
    }
    case 'hold':
    case 'regroup': {
      const scope = parseScope(raw.scope);
      if (typeof scope === 'string') return bad(scope);
      return { ok: true, command: { id, player, kind, scope } };
    }
    case 'formation':
      if (!isStr(raw.squadron)) return bad('squadron must be a squadron id');
      if (!(FORMATIONS as readonly unknown[]).includes(raw.formation)) return bad(`formation must be one of ${FORMATIONS.join(', ')}`);
      return { ok: true, command: { ...base, kind, squadron: raw.squadron, formation: raw.formation as Formation } };
    case 'retreat':
      if (!(RETREAT_MODES as readonly unknown[]).includes(raw.mode)) return bad(`mode must be one of ${RETREAT_MODES.join(', ')}`);
      return { ok: true, command: { ...base, kind, mode: raw.mode as RetreatMode } };
    case 'transfer': {
      if (!Number.isInteger(raw.from) || (raw.from as number) < 0 || !Number.isInteger(raw.to) || (raw.to as number) < 0) return bad('from and to must be unit ids');
      const fuel = raw.fuel ?? 0, ammunition = raw.ammunition ?? 0;
      if (!isNum(fuel) || !Number.isFinite(fuel) || fuel < 0) return bad('fuel must be a non-negative number');
      if (!Number.isInteger(ammunition) || (ammunition as number) < 0) return bad('ammunition must be a non-negative integer');
      if (fuel === 0 && ammunition === 0) return bad('a transfer moves some fuel or ammunition');
      if (raw.from === raw.to) return bad('a unit cannot transfer to itself');
      return { ok: true, command: { ...base, kind, from: raw.from as number, to: raw.to as number, fuel, ammunition: ammunition as number } };
    }
    case 'join': {
      if (!isStr(raw.team)) return bad('team must be a team name');
      if (!isRole(raw.role)) return bad('role must be supreme_commander, admiral, captain or pilot');
      if (!isTier(raw.tier)) return bad('tier must be bronze, silver or gold');
      if (!isNum(raw.credits) || !Number.isFinite(raw.credits) || raw.credits < 0) return bad('credits must be a non-negative number');
      if (!isObj(raw.fleet)) return bad('fleet must map unit type names to counts');
      const fleet: Record<string, number> = {};
      for (const [type, n] of Object.entries(raw.fleet)) {
        if (!(UNIT_TYPE_NAMES as readonly string[]).includes(type) || type === 'escape_pod') return bad(`unknown unit type ${JSON.stringify(type)}`);
        if (!Number.isInteger(n) || (n as number) < 0) return bad(`fleet count for ${type} must be a non-negative integer`);
        fleet[type] = n as number;
      }
      if (raw.captain !== undefined && !isStr(raw.captain)) return bad('captain must be a player id');
      if (raw.admiral !== undefined && !isStr(raw.admiral)) return bad('admiral must be a player id');
      if (raw.independent !== undefined && typeof raw.independent !== 'boolean') return bad('independent must be a boolean');
      return {
        ok: true,
        command: {
          ...base, kind, team: raw.team, role: raw.role, tier: raw.tier, credits: raw.credits, fleet,
          ...(raw.independent ? { independent: true } : {}),
          ...(raw.captain !== undefined ? { captain: raw.captain as string } : {}),
          ...(raw.admiral !== undefined ? { admiral: raw.admiral as string } : {}),
        },
      };
    }
    default: // relation orders
      if (!isStr(raw.team)) return bad('team must be a team name');
      return { ok: true, command: { ...base, kind: kind as RelationOrder, team: raw.team } };
  }
}
