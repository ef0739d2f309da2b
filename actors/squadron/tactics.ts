// The squadron layer: turns an authorised order into per-unit orders (which units, and for moves
// where each one goes in its squadron's formation). Reads the battle at the start of the turn only.

import type { Battle } from '../sector/battle.js';
import { hasScope, type Command, type Scope } from '../model/commands.js';
import { findPlayer, findSquadron, type Formation } from '../model/roster.js';
import { UnitType } from '../unit/catalog.js';
import { slotOf, unitId } from '../unit/world.js';
import { clamp } from '../sector/setup.js';
import { formationOffset } from './formation.js';

export interface Plan {
  ids: Int32Array; // unit ids the order reaches
  x: Float64Array | null; // per-unit destinations for moves
  y: Float64Array | null;
}

/** Unit slots an order's scope reaches, in slot order. */
export function scopeSlots(b: Battle, team: number, scope: Scope): number[] {
  const w = b.world;
  if ('units' in scope) return scope.units.map((id) => slotOf(w, id)).filter((s) => s >= 0).sort((a, c) => a - c);
  const squad = 'squadron' in scope ? findSquadron(b.roster, scope.squadron)?.index ?? -2 : -1;
  const out: number[] = [];
  for (let s = 0; s < w.highWater; s++) {
    if (w.alive[s] === 0 || w.team[s] !== team || w.type[s] === UnitType.ESCAPE_POD) continue;
    if (squad === -1 || w.squad[s] === squad) out.push(s);
  }
  return out;
}

export function planCommand(b: Battle, cmd: Command): Plan | null {
  if (!hasScope(cmd)) return null;
  const p = findPlayer(b.roster, cmd.player);
  if (!p) return null;
  const w = b.world;
  const slots = scopeSlots(b, p.team, cmd.scope);
  const ids = new Int32Array(slots.length);
  slots.forEach((s, i) => (ids[i] = unitId(w, s)));
  if (cmd.kind !== 'move' && cmd.kind !== 'attack_move') return { ids, x: null, y: null };
  if (!Number.isFinite(cmd.x) || !Number.isFinite(cmd.y)) return { ids, x: null, y: null };

  // group by squadron; a pilot's unit list moves as one box around the point
  const groups = new Map<number, number[]>();
  for (let i = 0; i < slots.length; i++) {
    const key = 'units' in cmd.scope ? -1 : w.squad[slots[i]];
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  const x = new Float64Array(slots.length), y = new Float64Array(slots.length);
  const off = new Float64Array(2);
  for (const [squad, members] of groups) {
    const formation: Formation = squad >= 0 ? b.roster.squadrons[squad].formation : 'box';
    let cx = 0, cy = 0;
    for (const i of members) { cx += w.x[slots[i]]; cy += w.y[slots[i]]; }
    cx /= members.length; cy /= members.length;
    let dx = cmd.x - cx, dy = cmd.y - cy;
    const d = Math.sqrt(dx * dx + dy * dy);
    if (d > 1e-9) { dx /= d; dy /= d; } else { dx = 1; dy = 0; }
    members.forEach((i, k) => {
      formationOffset(formation, k, members.length, dx, dy, off);
      x[i] = clamp(cmd.x + off[0], 0, w.width);
      y[i] = clamp(cmd.y + off[1], 0, w.height);
    });
  }
  return { ids, x, y };
}
