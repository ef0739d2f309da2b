// One turn of the combat kernel: movement → target acquisition → fire → damage → destruction.
// Pure over the World's typed arrays: no I/O, no clock, slot-ordered loops, the battle's own PRNG,
// and no allocation in a steady-state turn (buffers grow only when a battle outgrows them).

import { regenThisTurn, UNIT_TYPE_COUNT, UnitType } from './catalog.js';
import { DestroyCause, EventKind, Order, Stance } from './enums.js';
import { createEventBuffer, pushEvent, type EventBuffer } from './events.js';
import { anyTeamNear, cellOf, createGrid, rebuildGrid, type Grid } from './grid.js';
import { nextFloat } from './rng.js';
import { freeUnit, NO_UNIT, slotOf, spawnUnit, unitId, type World } from './world.js';

export interface Kernel {
  grid: Grid;
  events: EventBuffer;
  hostileMask: Uint32Array; // per team: bits (team & 31) of hostile teams
  doomed: Int32Array; // scratch: slots to remove this turn
  squadX: Float64Array; // scratch: squadron centroids for regroup orders
  squadY: Float64Array;
  squadN: Int32Array;
  regen: Int32Array; // scratch: shield points per unit type this turn
  killerTeam: Int32Array; // scratch: team of each doomed unit's killer
}

/** Distance a unit keeps from a target it approaches, as a share of its weapon range. */
const APPROACH = 0.8;
/** Chase-target searches for idle units run every 8th turn per unit, staggered by slot. */
const CHASE_STAGGER = 7;
/** Idle weapons with no target in range retry acquisition every 4th turn per unit, staggered by slot. */
const ACQUIRE_STAGGER = 3;
const REGROUP_RADIUS = 30;

export function isTargetable(w: World, s: number): boolean {
  return w.alive[s] === 1 && w.activeAt[s] <= w.turn && w.type[s] !== UnitType.ESCAPE_POD;
}

/** Slot of `id` if it is a live, deployed, hostile unit for `team`; -1 otherwise. */
export function hostileSlot(w: World, team: number, id: number): number {
  if (id === NO_UNIT) return -1;
  const t = slotOf(w, id);
  if (t < 0 || !isTargetable(w, t)) return -1;
  const other = w.team[t];
  if (other === team || w.relations[team * w.teamCount + other] !== 0) return -1;
  return t;
}

export function refreshHostility(k: Kernel, w: World): void {
  if (k.hostileMask.length < w.teamCount) k.hostileMask = new Uint32Array(w.teamCount);
  const n = w.teamCount;
  for (let a = 0; a < n; a++) {
    let m = 0;
    for (let b = 0; b < n; b++) if (a !== b && w.relations[a * n + b] === 0) m |= 1 << (b & 31);
    k.hostileMask[a] = m;
  }
}

/** Nearest hostile (ties: lowest slot) within `radius`, searched ring by ring outward; -1 if none. */
export function nearestHostile(w: World, g: Grid, k: Kernel, slot: number, radius: number): number {
  const team = w.team[slot];
  const mask = k.hostileMask[team];
  if (mask === 0) return -1;
  const x = w.x[slot], y = w.y[slot];
  if (!anyTeamNear(g, x, y, radius, mask)) return -1;
  const c0 = cellOf(g, x, y);
  const cx = c0 % g.cols, cy = (c0 - cx) / g.cols;
  const maxRing = Math.ceil(radius * g.inv);
  const cs = g.cellSize;
  const { start, items, teamMask, cols, rows } = g;
  const wx = w.x, wy = w.y, wteam = w.team, rel = w.relations, tc = w.teamCount;
  let best = -1;
  let bestD2 = radius * radius;
  for (let r = 0; r <= maxRing; r++) {
    if (best >= 0 && r >= 2) {
      const inner = (r - 1) * cs;
      if (bestD2 < inner * inner) break;
    }
    const y0 = cy - r, y1 = cy + r, x0 = cx - r, x1 = cx + r;
    for (let gy = y0; gy <= y1; gy++) {
      if (gy < 0 || gy >= rows) continue;
      const edgeRow = gy === y0 || gy === y1;
      const step = edgeRow || r === 0 ? 1 : x1 - x0;
      for (let gx = x0; gx <= x1; gx += step) {
        if (gx < 0 || gx >= cols) continue;
        const c = gy * cols + gx;
        if ((teamMask[c] & mask) === 0) continue;
        const end = start[c + 1];
        for (let i = start[c]; i < end; i++) {
          const t = items[i];
          const tt = wteam[t];
          if (tt === team || rel[team * tc + tt] !== 0) continue;
          const dx = wx[t] - x, dy = wy[t] - y;
          const d2 = dx * dx + dy * dy;
          if (d2 < bestD2 || (d2 === bestD2 && (best < 0 || t < best))) {
            best = t;
            bestD2 = d2;
          }
        }
      }
    }
  }
  return best;
}

/** Moves toward (tx, ty), stopping `stop` short; spends fuel. Returns true once within `stop` (+ε). */
function moveToward(w: World, s: number, tx: number, ty: number, stop: number, speed: number): boolean {
  const dx = tx - w.x[s], dy = ty - w.y[s];
  const d2 = dx * dx + dy * dy;
  if (d2 <= stop * stop + 1e-9) return true;
  const d = Math.sqrt(d2);
  let step = d - stop;
  if (step > speed) step = speed;
  if (step > w.fuel[s]) step = w.fuel[s];
  if (step <= 0) return false;
  let nx = w.x[s] + (dx / d) * step;
  let ny = w.y[s] + (dy / d) * step;
  if (nx < 0) nx = 0; else if (nx > w.width) nx = w.width;
  if (ny < 0) ny = 0; else if (ny > w.height) ny = w.height;
  w.x[s] = nx;
  w.y[s] = ny;
  w.fuel[s] -= step;
  return d - step <= stop + 1e-6;
}

/** The point on the sector's edge nearest to (x, y): where withdrawing units and pods leave. */
export function nearestExit(w: World, x: number, y: number, out: Float64Array): void {
  let ex = 0, ey = y, best = x;
  if (w.width - x < best) { best = w.width - x; ex = w.width; ey = y; }
  if (y < best) { best = y; ex = x; ey = 0; }
  if (w.height - y < best) { ex = x; ey = w.height; }
  out[0] = ex;
  out[1] = ey;
}
const exitScratch = new Float64Array(2);

function computeSquadCentroids(k: Kernel, w: World): void {
  let maxSquad = -1;
  for (let s = 0; s < w.highWater; s++) if (w.alive[s] === 1 && w.squad[s] > maxSquad) maxSquad = w.squad[s];
  if (k.squadN.length <= maxSquad) {
    k.squadX = new Float64Array(maxSquad + 1);
    k.squadY = new Float64Array(maxSquad + 1);
    k.squadN = new Int32Array(maxSquad + 1);
  }
  k.squadX.fill(0); k.squadY.fill(0); k.squadN.fill(0);
  for (let s = 0; s < w.highWater; s++) {
    const q = w.squad[s];
    if (w.alive[s] === 0 || q < 0 || w.type[s] === UnitType.ESCAPE_POD) continue;
    k.squadX[q] += w.x[s]; k.squadY[q] += w.y[s]; k.squadN[q]++;
  }
}

/** Removes a unit as destroyed: accounts the loss, credits the killer's team, launches a pod for crewed ships. */
export function destroyUnit(w: World, k: Kernel, s: number, killer: number, cause: number, killerTeam = -1): void {
  const c = w.catalog;
  const type = w.type[s], team = w.team[s];
  pushEvent(k.events, EventKind.DESTROYED, unitId(w, s), killer, cause);
  if (type !== UnitType.ESCAPE_POD) {
    w.stats.lost[team]++;
    w.stats.lostValue[team] += c.cost[type];
    if (killerTeam >= 0) w.stats.killedValue[killerTeam] += c.cost[type];
  }
  const x = w.x[s], y = w.y[s], owner = w.owner[s], squad = w.squad[s], shipId = unitId(w, s);
  freeUnit(w, s);
  if (c.ship[type] === 1) {
    const pod = spawnUnit(w, UnitType.ESCAPE_POD, team, owner, squad, x, y, w.turn);
    nearestExit(w, x, y, exitScratch);
    w.order[pod] = Order.ESCAPE;
    w.orderX[pod] = exitScratch[0];
    w.orderY[pod] = exitScratch[1];
    pushEvent(k.events, EventKind.POD_LAUNCHED, unitId(w, pod), shipId, team);
  }
}

function movementPhase(w: World, k: Kernel): void {
  const c = w.catalog;
  const turn = w.turn;
  let doomedCount = 0;
  let needCentroids = false;
  for (let s = 0; s < w.highWater; s++) if (w.alive[s] === 1 && w.order[s] === Order.REGROUP) { needCentroids = true; break; }
  if (needCentroids) computeSquadCentroids(k, w);
  if (k.doomed.length < w.highWater) { k.doomed = new Int32Array(w.capacity); k.killerTeam = new Int32Array(w.capacity); }

  for (let s = 0; s < w.highWater; s++) {
    if (w.alive[s] === 0 || w.activeAt[s] > turn) continue;
    const type = w.type[s];
    const order = w.order[s];
    const max = c.speed[type];
    const speed = w.orderSpeed[s] > 0 && w.orderSpeed[s] < max ? w.orderSpeed[s] : max;
    switch (order) {
      case Order.HOLD:
        break;
      case Order.MOVE:
        if (moveToward(w, s, w.orderX[s], w.orderY[s], 0, speed)) w.order[s] = Order.IDLE;
        break;
      case Order.WITHDRAW:
      case Order.ESCAPE:
        if (moveToward(w, s, w.orderX[s], w.orderY[s], 0, speed)) k.doomed[doomedCount++] = s;
        break;
      case Order.REGROUP: {
        const q = w.squad[s];
        if (q < 0 || k.squadN[q] === 0) { w.order[s] = Order.IDLE; break; }
        const n = k.squadN[q];
        if (moveToward(w, s, k.squadX[q] / n, k.squadY[q] / n, REGROUP_RADIUS, speed)) w.order[s] = Order.IDLE;
        break;
      }
      case Order.ATTACK: {
        const t = hostileSlot(w, w.team[s], w.focus[s]);
        if (t < 0) { w.order[s] = Order.IDLE; w.focus[s] = NO_UNIT; break; }
        moveToward(w, s, w.x[t], w.y[t], c.range[type] * APPROACH, speed);
        break;
      }
      case Order.ATTACK_MOVE: {
        const t = hostileSlot(w, w.team[s], w.target[s]);
        if (t >= 0) moveToward(w, s, w.x[t], w.y[t], c.range[type] * APPROACH, speed);
        else if (moveToward(w, s, w.orderX[s], w.orderY[s], 0, speed)) w.order[s] = Order.IDLE;
        break;
      }
      default: { // IDLE: aggressive and balanced units close on their current target
        if (w.stance[s] === Stance.DEFENSIVE) break;
        const t = hostileSlot(w, w.team[s], w.target[s]);
        if (t >= 0) moveToward(w, s, w.x[t], w.y[t], c.range[type] * APPROACH, speed);
      }
    }
  }
  // units that reached the edge leave the battle
  for (let i = 0; i < doomedCount; i++) {
    const s = k.doomed[i];
    const team = w.team[s];
    if (w.type[s] === UnitType.ESCAPE_POD) {
      w.stats.crewSaved[team]++;
      pushEvent(k.events, EventKind.POD_ESCAPED, unitId(w, s), team, 0);
    } else {
      w.stats.retreated[team]++;
      pushEvent(k.events, EventKind.RETREATED, unitId(w, s), team, 0);
    }
    freeUnit(w, s);
  }
}

function combatPhase(w: World, k: Kernel): void {
  const c = w.catalog;
  const g = k.grid;
  const turn = w.turn;
  for (let s = 0; s < w.highWater; s++) {
    if (w.alive[s] === 0) continue;
    if (w.activeAt[s] > turn) continue;
    const type = w.type[s];
    if (c.damage[type] === 0) continue;
    if (w.cooldown[s] > 0) w.cooldown[s]--;
    const team = w.team[s];
    const ready = w.cooldown[s] === 0 && w.ammo[s] > 0;
    // acquisition: focus fire first, then a still-valid current target, then the nearest hostile in range
    let t = hostileSlot(w, team, w.focus[s]);
    if (t < 0) {
      t = hostileSlot(w, team, w.target[s]);
      if (t >= 0 && ready) {
        const dx = w.x[t] - w.x[s], dy = w.y[t] - w.y[s];
        if (dx * dx + dy * dy > c.range2[type]) {
          const near = nearestHostile(w, g, k, s, c.range[type]);
          if (near >= 0) t = near;
        }
      } else if (t < 0) {
        // a ready weapon with nothing in range looks again every 4th turn (staggered), not every turn:
        // most of a large fleet is behind its front line and would search in vain each turn
        if (ready && ((s + turn) & ACQUIRE_STAGGER) === 0) t = nearestHostile(w, g, k, s, c.range[type]);
        const stance = w.stance[s];
        const order = w.order[s];
        if (t < 0 && stance !== Stance.DEFENSIVE && (order === Order.IDLE || order === Order.ATTACK_MOVE) && ((s + turn) & CHASE_STAGGER) === 0) {
          t = nearestHostile(w, g, k, s, stance === Stance.AGGRESSIVE ? c.sensor[type] : c.sensor[type] * 0.5);
        }
      }
    }
    w.target[s] = t >= 0 ? unitId(w, t) : NO_UNIT;
    if (!ready || t < 0) continue;
    const dx = w.x[t] - w.x[s], dy = w.y[t] - w.y[s];
    if (dx * dx + dy * dy > c.range2[type]) continue;
    // fire
    w.ammo[s]--;
    w.cooldown[s] = c.cooldown[type];
    const stance = w.stance[s];
    const acc = c.accuracy[type] + (stance === Stance.AGGRESSIVE ? 0.1 : stance === Stance.DEFENSIVE ? -0.1 : 0);
    if (nextFloat(w.rng) < acc) {
      w.damage[t] += c.damage[type];
      w.lastHit[t] = unitId(w, s);
    }
  }
}

function damagePhase(w: World, k: Kernel): void {
  const c = w.catalog;
  const regen = k.regen;
  for (let t = 0; t < regen.length; t++) regen[t] = regenThisTurn(c, t, w.turn);
  let doomedCount = 0;
  for (let s = 0; s < w.highWater; s++) {
    if (w.alive[s] === 0) continue;
    const d = w.damage[s];
    const type = w.type[s];
    if (d === 0) {
      // shields recharge on turns without hits; defensive stance recharges twice as fast
      const max = c.shields[type];
      if (w.shield[s] < max) {
        const add = w.stance[s] === Stance.DEFENSIVE ? 2 * regen[type] : regen[type];
        w.shield[s] = w.shield[s] + add > max ? max : w.shield[s] + add;
      }
      continue;
    }
    w.damage[s] = 0;
    const absorbed = d < w.shield[s] ? d : w.shield[s];
    w.shield[s] -= absorbed;
    w.hull[s] -= d - absorbed;
    pushEvent(k.events, EventKind.DAMAGED, unitId(w, s), w.lastHit[s], d);
    if (w.hull[s] <= 0) k.doomed[doomedCount++] = s;
    else w.lastHit[s] = NO_UNIT;
  }
  // killers' teams first: in a mutual kill the killer's slot may be freed (and reused) before its victim is
  for (let i = 0; i < doomedCount; i++) {
    const ks = slotOf(w, w.lastHit[k.doomed[i]]);
    k.killerTeam[i] = ks >= 0 ? w.team[ks] : -1;
  }
  for (let i = 0; i < doomedCount; i++) {
    const s = k.doomed[i];
    destroyUnit(w, k, s, w.lastHit[s], DestroyCause.COMBAT, k.killerTeam[i]);
  }
}

function launchPhase(w: World, k: Kernel): void {
  const c = w.catalog;
  const n = w.highWater; // drones launched this turn act from the next turn on
  for (let s = 0; s < n; s++) {
    if (w.alive[s] === 0 || w.launchLeft[s] === 0 || w.activeAt[s] > w.turn) continue;
    if (w.launchCd[s] > 0) { w.launchCd[s]--; continue; }
    if (w.target[s] === NO_UNIT) continue; // carriers launch only when they have a target in sight
    const d = spawnUnit(w, UnitType.BASIC_DRONE, w.team[s], w.owner[s], w.squad[s], w.x[s], w.y[s], w.turn + 1);
    w.stance[d] = w.stance[s];
    w.launchLeft[s]--;
    w.launchCd[s] = c.launchTurns;
    pushEvent(k.events, EventKind.DRONE_LAUNCHED, unitId(w, d), unitId(w, s), w.team[s]);
  }
}

function deploymentPhase(w: World, k: Kernel): void {
  const turn = w.turn;
  for (let s = 0; s < w.highWater; s++) {
    if (w.alive[s] === 1 && w.activeAt[s] === turn && w.type[s] !== UnitType.ESCAPE_POD) {
      pushEvent(k.events, EventKind.DEPLOYED, unitId(w, s), w.team[s], 0);
    }
  }
}

export function createKernel(w: World, cellSize = 128): Kernel {
  return {
    grid: createGrid(w.width, w.height, cellSize, w.capacity),
    events: createEventBuffer(),
    hostileMask: new Uint32Array(Math.max(1, w.teamCount)),
    doomed: new Int32Array(w.capacity),
    squadX: new Float64Array(16), squadY: new Float64Array(16), squadN: new Int32Array(16),
    regen: new Int32Array(UNIT_TYPE_COUNT),
    killerTeam: new Int32Array(w.capacity),
  };
}

/** Advances the world by one turn. Orders for this turn must already be applied. */
export function step(w: World, k: Kernel): void {
  w.turn++;
  deploymentPhase(w, k);
  refreshHostility(k, w);
  movementPhase(w, k);
  rebuildGrid(k.grid, w);
  combatPhase(w, k);
  damagePhase(w, k);
  launchPhase(w, k);
}
