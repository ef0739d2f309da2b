// The sector layer's part of an order: validate it against the authoritative state (coordinates,
// speed, fuel, ammunition, visibility, hostility, tier limits, credits) and only then apply it.
// A rejected order changes nothing.

import { RELATION_ORDERS, type Command, type RelationOrder } from '../model/commands.js';
import { findPlayer, findTeam, supremeOf, addPlayerSquadron, type PlayerInfo } from '../model/roster.js';
import { MASSIVE_BATTLE_PLAYERS, TIER_LIMITS } from '../model/roles.js';
import { OK, reject, type Verdict } from '../model/reasons.js';
import { UNIT_STATS, UNIT_TYPE_NAMES, UnitType, unitTypeFromName } from '../unit/catalog.js';
import { DestroyCause, Order, Relation, Stance, STANCE_NAMES } from '../unit/enums.js';
import { destroyUnit, nearestExit } from '../unit/step.js';
import { ensureTeams, NO_UNIT, slotOf, spawnUnit, unitId } from '../unit/world.js';
import type { Plan } from '../squadron/tactics.js';
import { unitsPerTeam, type Battle } from './battle.js';
import { blockPosition, clamp, rallyPoint, UNIT_SPACING } from './setup.js';

const pos = new Float64Array(2);

function checkPoint(b: Battle, x: number, y: number): Verdict {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return reject('INVALID_COORDINATES', 'coordinates must be finite numbers');
  if (x < 0 || y < 0 || x > b.world.width || y > b.world.height) return reject('OUT_OF_BOUNDS', `(${x}, ${y}) is outside the ${b.world.width}×${b.world.height} sector`);
  return OK;
}

/** Live slots of a plan; a unit lost earlier this turn makes a unit-list order fail as UNKNOWN_UNIT. */
function liveSlots(b: Battle, plan: Plan, strict: boolean): number[] | Verdict {
  const out: number[] = [];
  for (let i = 0; i < plan.ids.length; i++) {
    const s = slotOf(b.world, plan.ids[i]);
    if (s < 0) { if (strict) return reject('UNKNOWN_UNIT', `unit ${plan.ids[i]} is gone`); continue; }
    const o = b.world.order[s];
    if (o === Order.WITHDRAW || o === Order.ESCAPE) { if (strict) return reject('UNIT_RETREATING', `unit ${plan.ids[i]} is retreating`); continue; }
    out.push(s);
  }
  if (out.length === 0) return reject('NO_UNITS', 'the order reaches no unit that can carry it out');
  return out;
}

function notifyRecipients(b: Battle, issuer: PlayerInfo, slots: number[], cmd: Command): void {
  const seen = new Set<number>();
  for (const s of slots) {
    const owner = b.world.owner[s];
    if (owner >= 0 && owner !== issuer.index && !seen.has(owner)) {
      seen.add(owner);
      b.events.push({ type: 'order_received', from: issuer.id, to: b.roster.players[owner].id, order: cmd.kind, commandId: cmd.id });
    }
  }
}

export function applyCommand(b: Battle, cmd: Command, plan: Plan | null): Verdict {
  if (cmd.kind === 'join') return applyJoin(b, cmd);
  const p = findPlayer(b.roster, cmd.player)!;
  if (cmd.kind === 'retreat') return applyRetreat(b, p, cmd.mode);
  if (cmd.kind === 'transfer') return applyTransfer(b, p, cmd);
  if (cmd.kind === 'formation') {
    b.roster.squadrons.find((q) => q.id === cmd.squadron)!.formation = cmd.formation;
    return OK;
  }
  if (!('scope' in cmd)) {
    if (!(RELATION_ORDERS as readonly string[]).includes(cmd.kind)) return reject('UNKNOWN_ORDER', `unknown order kind ${JSON.stringify(cmd.kind)}`);
    return applyRelation(b, p, cmd.kind, cmd.team);
  }
  if (!plan) return reject('NO_UNITS', 'the order reaches no unit');
  const strict = 'units' in cmd.scope;
  const w = b.world;
  const c = w.catalog;
  switch (cmd.kind) {
    case 'move':
    case 'attack_move': {
      const v = checkPoint(b, cmd.x, cmd.y);
      if (!v.ok) return v;
      const speed = cmd.kind === 'move' ? cmd.speed : undefined;
      if (speed !== undefined && !(Number.isFinite(speed) && speed > 0)) return reject('MALFORMED', 'speed must be a positive number');
      const live = liveSlots(b, plan, strict);
      if (!Array.isArray(live)) return live;
      const able: number[] = [];
      const dest = new Map<number, number>(); // slot → index into the plan
      for (let i = 0; i < plan.ids.length; i++) { const s = slotOf(w, plan.ids[i]); if (s >= 0) dest.set(s, i); }
      for (const s of live) {
        if (speed !== undefined && speed > UNIT_STATS[w.type[s]].speed) {
          return reject('SPEED_EXCEEDED', `unit ${unitId(w, s)} (${UNIT_TYPE_NAMES[w.type[s]]}) flies at most ${UNIT_STATS[w.type[s]].speed}/s, asked ${speed}/s`);
        }
        const i = dest.get(s)!;
        const dx = plan.x![i] - w.x[s], dy = plan.y![i] - w.y[s];
        if (Math.sqrt(dx * dx + dy * dy) > w.fuel[s]) {
          if (strict) return reject('INSUFFICIENT_FUEL', `unit ${unitId(w, s)} has fuel for ${w.fuel[s].toFixed(0)}, the move needs ${Math.sqrt(dx * dx + dy * dy).toFixed(0)}`);
          continue;
        }
        able.push(s);
      }
      if (able.length === 0) return reject('INSUFFICIENT_FUEL', 'no unit has the fuel for this move');
      for (const s of able) {
        const i = dest.get(s)!;
        w.order[s] = cmd.kind === 'move' ? Order.MOVE : Order.ATTACK_MOVE;
        w.orderX[s] = plan.x![i];
        w.orderY[s] = plan.y![i];
        w.orderSpeed[s] = speed !== undefined ? speed / c.turnsPerSecond : 0;
        w.focus[s] = NO_UNIT;
      }
      notifyRecipients(b, p, able, cmd);
      return OK;
    }
    case 'attack': {
      const live = liveSlots(b, plan, strict);
      if (!Array.isArray(live)) return live;
      // Anything the ordered units cannot see gets one answer, whether or not it exists: an order must not be a
      // probe past the fog of war. Own and allied units are always in sight.
      const t = slotOf(w, cmd.target);
      const tt = t >= 0 ? w.team[t] : -1;
      let seen = t >= 0 && (tt === p.team || w.relations[p.team * w.teamCount + tt] === Relation.ALLIED);
      if (!seen && t >= 0 && w.activeAt[t] <= w.turn) {
        for (const s of live) {
          const dx = w.x[t] - w.x[s], dy = w.y[t] - w.y[s];
          if (dx * dx + dy * dy <= c.sensor[w.type[s]] * c.sensor[w.type[s]]) { seen = true; break; }
        }
      }
      if (!seen) return reject('TARGET_NOT_VISIBLE', `no unit ${cmd.target} within the ordered units' sensors`);
      if (w.type[t] === UnitType.ESCAPE_POD) return reject('UNKNOWN_TARGET', 'escape pods cannot be attacked');
      if (tt === p.team || w.relations[p.team * w.teamCount + tt] !== Relation.HOSTILE) {
        return reject('TARGET_NOT_HOSTILE', `unit ${cmd.target} is not hostile (same team, ally or truce)`);
      }
      const armed = live.filter((s) => c.damage[w.type[s]] > 0 && w.ammo[s] > 0);
      if (armed.length === 0 || (strict && armed.length !== live.length)) return reject('NO_AMMUNITION', 'ordered units have no ammunition (or no weapon) to fire');
      for (const s of armed) { w.order[s] = Order.ATTACK; w.focus[s] = cmd.target; w.target[s] = cmd.target; }
      notifyRecipients(b, p, armed, cmd);
      return OK;
    }
    case 'stance':
    case 'hold':
    case 'regroup': {
      const live = liveSlots(b, plan, strict);
      if (!Array.isArray(live)) return live;
      for (const s of live) {
        if (cmd.kind === 'stance') w.stance[s] = STANCE_NAMES.indexOf(cmd.stance) as Stance;
        else { w.order[s] = cmd.kind === 'hold' ? Order.HOLD : Order.REGROUP; w.focus[s] = NO_UNIT; }
      }
      notifyRecipients(b, p, live, cmd);
      return OK;
    }
    default:
      return reject('UNKNOWN_ORDER', `unknown order kind ${JSON.stringify((cmd as { kind: unknown }).kind)}`);
  }
}

/** Emergency fuel and ammunition transfers reach teammates within this distance. */
export const TRANSFER_RANGE = 150;

function applyTransfer(b: Battle, p: PlayerInfo, cmd: Extract<Command, { kind: 'transfer' }>): Verdict {
  const w = b.world, c = w.catalog;
  const from = slotOf(w, cmd.from), to = slotOf(w, cmd.to);
  if (from < 0 || to < 0) return reject('UNKNOWN_UNIT', `unit ${from < 0 ? cmd.from : cmd.to} is gone`);
  if (w.type[to] === UnitType.ESCAPE_POD || w.type[from] === UnitType.ESCAPE_POD) return reject('MALFORMED', 'escape pods carry no supplies');
  const dx = w.x[to] - w.x[from], dy = w.y[to] - w.y[from];
  if (dx * dx + dy * dy > TRANSFER_RANGE * TRANSFER_RANGE) return reject('OUT_OF_RANGE', `units ${cmd.from} and ${cmd.to} are more than ${TRANSFER_RANGE} apart`);
  if (cmd.fuel > w.fuel[from]) return reject('INSUFFICIENT_FUEL', `unit ${cmd.from} has ${w.fuel[from].toFixed(0)} fuel`);
  if (cmd.ammunition > w.ammo[from]) return reject('NO_AMMUNITION', `unit ${cmd.from} has ${w.ammo[from]} rounds`);
  // the receiver takes what it has room for; the rest stays with the giver
  const fuel = Math.min(cmd.fuel, c.fuel[w.type[to]] - w.fuel[to]);
  const ammo = Math.min(cmd.ammunition, c.ammunition[w.type[to]] - w.ammo[to]);
  w.fuel[from] -= fuel; w.fuel[to] += fuel;
  w.ammo[from] -= ammo; w.ammo[to] += ammo;
  const owner = w.owner[to];
  if (owner >= 0 && owner !== p.index) b.events.push({ type: 'order_received', from: p.id, to: b.roster.players[owner].id, order: 'transfer', commandId: cmd.id });
  return OK;
}

function applyRetreat(b: Battle, p: PlayerInfo, mode: string): Verdict {
  const w = b.world;
  const mine: number[] = [];
  for (let s = 0; s < w.highWater; s++) if (w.alive[s] === 1 && w.owner[s] === p.index && w.type[s] !== UnitType.ESCAPE_POD) mine.push(s);
  b.events.push({ type: 'retreat_ordered', player: p.id, mode });
  if (mode === 'fighting_withdrawal') {
    for (const s of mine) {
      nearestExit(w, w.x[s], w.y[s], pos);
      w.order[s] = Order.WITHDRAW;
      w.orderX[s] = pos[0];
      w.orderY[s] = pos[1];
      w.orderSpeed[s] = 0;
      w.focus[s] = NO_UNIT;
      w.stance[s] = Stance.BALANCED; // keep firing at what is in range, chase nothing
    }
    p.status = mine.length > 0 ? 'withdrawing' : 'retreated';
  } else {
    // escape pods: ships abandoned, crews saved; scorched earth: everything scuttled so nothing is salvaged
    const cause = mode === 'scorched_earth' ? DestroyCause.SCUTTLED : DestroyCause.ABANDONED;
    for (const s of mine) destroyUnit(w, b.kernel, s, NO_UNIT, cause);
    p.status = 'retreated';
  }
  if (p.status === 'retreated') b.events.push({ type: 'player_retreated', player: p.id });
  return OK;
}

/** Join fee: base × (1 + escalation × whole minutes of battle age). */
export function joinFee(b: Battle): number {
  const minutes = Math.floor(b.world.turn / (60 * b.config.turnsPerSecond));
  return Math.round(b.config.joinFeeBase * (1 + b.config.joinFeeEscalationPerMinute * minutes));
}

function applyJoin(b: Battle, cmd: Extract<Command, { kind: 'join' }>): Verdict {
  const r = b.roster, w = b.world;
  const existing = findPlayer(r, cmd.player);
  // authority ran before this turn's orders: a second join in the same turn is caught here
  if (existing && existing.status !== 'retreated') return reject('ALREADY_JOINED', `${cmd.player} is already in this battle`);
  const limits = TIER_LIMITS[cmd.tier];
  let size = 0;
  for (const [type, n] of Object.entries(cmd.fleet)) {
    if (n > 0 && !limits.unitTypes.includes(type)) return reject('UNIT_TYPE_NOT_ALLOWED', `tier ${cmd.tier} may not field ${type}`);
    size += n;
  }
  if (size === 0) return reject('NO_UNITS', 'a player joins with at least one unit');
  if (size > limits.unitsCommanded) return reject('FLEET_TOO_LARGE', `${size} units exceeds the ${cmd.tier} limit of ${limits.unitsCommanded}`);
  let team = cmd.independent ? undefined : findTeam(r, cmd.team);
  if (!cmd.independent && !team) return reject('UNKNOWN_TEAM', `no team ${cmd.team}`);
  if (cmd.independent && findTeam(r, cmd.team)) return reject('MALFORMED', `team name ${cmd.team} is taken`);
  const active = r.players.filter((pl) => pl.status !== 'retreated').length;
  if (active + 1 >= MASSIVE_BATTLE_PLAYERS && !limits.massiveBattles) return reject('TIER_LIMIT', `battles of ${MASSIVE_BATTLE_PLAYERS}+ players need gold tier`);
  const perTeam = unitsPerTeam(b);
  let side = 0;
  for (let t = 0; t < perTeam.length; t++) side = Math.max(side, perTeam[t] + (team && team.index === t ? size : 0));
  if (side > limits.maxSideToJoin) return reject('TIER_LIMIT', `a ${side}-unit side exceeds what ${cmd.tier} may join (${limits.maxSideToJoin})`);
  if (team && cmd.role === 'supreme_commander' && supremeOf(r, team.index)) return reject('ROLE_TAKEN', `${team.name} already has a supreme commander`);
  if (cmd.independent && cmd.role !== 'supreme_commander') return reject('MALFORMED', 'an independent is the supreme commander of their team of one');
  if (existing && (cmd.independent || existing.team !== team!.index || existing.role !== cmd.role)) {
    return reject('ALREADY_JOINED', `${cmd.player} fought here as ${existing.role} of ${r.teams[existing.team].name} and may only rejoin as that`);
  }
  const captain = cmd.captain !== undefined ? findPlayer(r, cmd.captain) : undefined;
  const admiral = cmd.admiral !== undefined ? findPlayer(r, cmd.admiral) : undefined;
  if (cmd.captain !== undefined && (!captain || captain.role !== 'captain' || captain.team !== team?.index)) return reject('UNKNOWN_PLAYER', `${cmd.captain} is not a captain of ${cmd.team}`);
  if (cmd.admiral !== undefined && (!admiral || admiral.role !== 'admiral' || admiral.team !== team?.index)) return reject('UNKNOWN_PLAYER', `${cmd.admiral} is not an admiral of ${cmd.team}`);
  const fee = joinFee(b);
  if (cmd.credits < fee) return reject('INSUFFICIENT_CREDITS', `joining now costs ${fee} credits, ${cmd.player} has ${cmd.credits}`);

  // all checks passed: mutate
  if (!team) {
    const index = r.teams.length;
    ensureTeams(w, index + 1);
    // between two rally points of the teams already here, so nobody warps in on top of an enemy
    const [rx, ry] = rallyPoint(index + 0.5, index, w.width, w.height);
    team = { index, name: cmd.team, independent: true, rallyX: rx, rallyY: ry, reputation: 100, wavesSent: 0 };
    r.teams.push(team);
  }
  const index = existing ? existing.index : r.players.length;
  // a returning captain, admiral or supreme commander takes back their own squadron
  const own = existing && !(cmd.role === 'pilot' && captain) ? r.squadrons.find((q) => q.id === `sq-${cmd.player}`) : undefined;
  const squadron = own ? own.index : addPlayerSquadron(r, { id: cmd.player, team: team.index, role: cmd.role, index }, captain, admiral);
  if (own && cmd.role === 'captain') own.admiral = admiral ? admiral.index : -1;
  const activeAt = w.turn + 1 + b.config.deployTurns;
  const info: PlayerInfo = {
    index, id: cmd.player, team: team.index, role: cmd.role, tier: cmd.tier, squadron, credits: cmd.credits - fee,
    status: b.config.deployTurns > 0 ? 'deploying' : 'active', activeAt, joinedTurn: w.turn + 1,
  };
  if (existing) Object.assign(existing, info); // same object: lookups made before stay valid
  else r.players.push(info);
  const ids: number[] = [];
  let k = 0;
  for (const name of UNIT_TYPE_NAMES) {
    const n = cmd.fleet[name] ?? 0;
    for (let i = 0; i < n; i++) {
      blockPosition(k++, size, team.rallyX, team.rallyY, UNIT_SPACING, pos);
      const s = spawnUnit(w, unitTypeFromName(name)!, team.index, index, squadron, clamp(pos[0], 0, w.width), clamp(pos[1], 0, w.height), activeAt);
      ids.push(unitId(w, s));
    }
  }
  b.events.push({ type: 'joined', player: cmd.player, team: team.name, role: cmd.role, fee, units: ids });
  return OK;
}

function setRelation(b: Battle, a: number, c: number, rel: number): void {
  const w = b.world;
  w.relations[a * w.teamCount + c] = rel;
  w.relations[c * w.teamCount + a] = rel;
  const names = ['hostile', 'allied', 'truce'] as const;
  b.events.push({ type: 'relation_changed', teams: [b.roster.teams[a].name, b.roster.teams[c].name], relation: names[rel] });
}

/** Reputation a team loses for breaking a truce or an alliance. */
export const BETRAYAL_PENALTY = 25;

function applyRelation(b: Battle, p: PlayerInfo, kind: RelationOrder, teamName: string): Verdict {
  const r = b.roster, w = b.world;
  const me = p.team, other = findTeam(r, teamName)!.index;
  const current = w.relations[me * w.teamCount + other];
  const kindOf = kind.endsWith('truce') ? 'truce' : 'alliance';
  const wanted = kindOf === 'truce' ? Relation.TRUCE : Relation.ALLIED;
  if (kind.startsWith('propose')) {
    if (current === wanted) return reject('MALFORMED', `already in ${kindOf} with ${teamName}`);
    if (!r.proposals.some((x) => x.from === me && x.to === other && x.kind === kindOf)) r.proposals.push({ from: me, to: other, kind: kindOf });
    b.events.push({ type: 'proposal', kind: kindOf, from: r.teams[me].name, to: teamName });
    return OK;
  }
  if (kind.startsWith('accept')) {
    const i = r.proposals.findIndex((x) => x.from === other && x.to === me && x.kind === kindOf);
    if (i < 0) return reject('NO_PROPOSAL', `${teamName} has not proposed a ${kindOf}`);
    r.proposals.splice(i, 1);
    // a crossing proposal of ours is used up by the same agreement
    const mine = r.proposals.findIndex((x) => x.from === me && x.to === other && x.kind === kindOf);
    if (mine >= 0) r.proposals.splice(mine, 1);
    setRelation(b, me, other, wanted);
    return OK;
  }
  // break: back to hostile, recorded as a betrayal against the breaker's reputation
  if (current !== wanted) return reject(kindOf === 'truce' ? 'NOT_IN_TRUCE' : 'NOT_ALLIED', `no ${kindOf} with ${teamName} to break`);
  setRelation(b, me, other, Relation.HOSTILE);
  r.teams[me].reputation -= BETRAYAL_PENALTY;
  b.events.push({ type: 'betrayal', by: r.teams[me].name, against: teamName, reputation: r.teams[me].reputation });
  return OK;
}
