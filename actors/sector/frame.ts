// A turn as the outside world gets it: live units packed into contiguous columns (a copy, so the
// kernel can run the next turn while gateways read this one), plus results, events and, when it
// changed, the roster. Plain data: the in-process link passes it as is, a gRPC link serialises it.

import { UnitType } from '../unit/catalog.js';
import { unitId, type World } from '../unit/world.js';
import type { Battle, BattleEvent } from './battle.js';
import type { CommandResult } from './turn.js';

export interface RosterView {
  teams: { name: string; independent: boolean; reputation: number }[];
  players: { id: string; team: number; role: string; tier: string; squadron: number; status: string }[];
  squadrons: { id: string; team: number; captain: number; admiral: number }[];
}

export interface TurnFrame {
  battleId: string;
  turn: number;
  hash: string;
  dilation: number;
  durableTurn: number; // results of turns up to this one may be acknowledged to clients
  epoch: number; // the current owner's fencing token (0 in a single process): a change means a new authority
  startedAt: number; // the turn this owner took the sector over at (recovered or handed over): its history up to here is the old one's
  width: number;
  height: number;
  turnsPerSecond: number;
  count: number;
  id: Int32Array;
  type: Uint8Array;
  team: Uint8Array;
  owner: Int32Array;
  squad: Int32Array;
  x: Float64Array;
  y: Float64Array;
  hull: Int32Array;
  shield: Int32Array;
  target: Int32Array;
  deploying: Uint8Array;
  teamCount: number;
  relations: Uint8Array;
  lost: Int32Array;
  results: CommandResult[];
  events: BattleEvent[];
  kernelEvents: Int32Array;
  roster: RosterView | null; // present on the first frame and whenever players, teams or relations changed
}

export function rosterView(b: Battle): RosterView {
  const r = b.roster;
  return {
    teams: r.teams.map((t) => ({ name: t.name, independent: t.independent, reputation: t.reputation })),
    players: r.players.map((p) => ({ id: p.id, team: p.team, role: p.role, tier: p.tier, squadron: p.squadron, status: p.status })),
    squadrons: r.squadrons.map((q) => ({ id: q.id, team: q.team, captain: q.captain, admiral: q.admiral })),
  };
}

/** Packs the battle after a turn into a frame. Escape pods are included (they are visible units). */
export function buildFrame(b: Battle, results: CommandResult[], events: BattleEvent[], kernelEvents: Int32Array, hash: string, dilation: number, withRoster: boolean, durableTurn = b.world.turn, authority: { epoch: number; startedAt: number } = { epoch: 0, startedAt: 0 }): TurnFrame {
  const w: World = b.world;
  const n = w.liveCount;
  const f: TurnFrame = {
    battleId: b.config.battleId, turn: w.turn, hash, dilation, durableTurn, epoch: authority.epoch, startedAt: authority.startedAt, width: w.width, height: w.height, turnsPerSecond: b.config.turnsPerSecond,
    count: n, id: new Int32Array(n), type: new Uint8Array(n), team: new Uint8Array(n), owner: new Int32Array(n), squad: new Int32Array(n),
    x: new Float64Array(n), y: new Float64Array(n), hull: new Int32Array(n), shield: new Int32Array(n), target: new Int32Array(n), deploying: new Uint8Array(n),
    teamCount: w.teamCount, relations: w.relations.slice(), lost: w.stats.lost.slice(),
    results, events, kernelEvents: kernelEvents.slice(), roster: withRoster ? rosterView(b) : null,
  };
  let i = 0;
  for (let s = 0; s < w.highWater; s++) {
    if (w.alive[s] === 0) continue;
    f.id[i] = unitId(w, s);
    f.type[i] = w.type[s];
    f.team[i] = w.team[s];
    f.owner[i] = w.owner[s];
    f.squad[i] = w.squad[s];
    f.x[i] = w.x[s];
    f.y[i] = w.y[s];
    f.hull[i] = w.hull[s];
    f.shield[i] = w.shield[s];
    f.target[i] = w.target[s];
    f.deploying[i] = w.activeAt[s] > w.turn && w.type[s] !== UnitType.ESCAPE_POD ? 1 : 0;
    i++;
  }
  return f;
}
