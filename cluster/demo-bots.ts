// Scripted bot commanders for the demo battle: a schedule of orders through the real chain of
// command (supreme commanders, captains, pilots), a hot join, a truce and its betrayal, and retreats.

import type { Command } from '../actors/model/commands.js';
import type { Battle } from '../actors/sector/battle.js';
import type { BattleSetup } from '../actors/sector/setup.js';
import { UnitType } from '../actors/unit/catalog.js';

let seq = 0;
const id = () => `bot-${++seq}`;

/** Centre of mass of the units hostile to `team` (where its supreme commander sends the fleet). */
function enemyCentre(b: Battle, team: number): [number, number] | null {
  const w = b.world;
  let x = 0, y = 0, n = 0;
  for (let s = 0; s < w.highWater; s++) {
    if (w.alive[s] === 0 || w.team[s] === team || w.type[s] === UnitType.ESCAPE_POD) continue;
    if (w.relations[team * w.teamCount + w.team[s]] !== 0) continue;
    x += w.x[s]; y += w.y[s]; n++;
  }
  return n === 0 ? null : [x / n, y / n];
}

export function botOrders(b: Battle, setup: BattleSetup, turn: number): Command[] {
  const out: Command[] = [];
  const teams = setup.teams;
  const sc = (t: number) => teams[t].players[0].id;
  const captain = (t: number) => teams[t].players.find((p) => p.role === 'captain')?.id;
  if (turn % 50 === 1) {
    // every 5 s each supreme commander re-targets the whole team on the enemy's centre of mass
    teams.forEach((t, i) => {
      if (b.roster.teams[i]?.independent) return;
      const c = enemyCentre(b, i);
      if (c) out.push({ id: id(), player: sc(i), kind: 'attack_move', scope: { team: true }, x: c[0], y: c[1] });
    });
  }
  const cap1 = captain(1);
  if (turn === 30 && cap1) out.push({ id: id(), player: cap1, kind: 'formation', squadron: `sq-${cap1}`, formation: 'wedge' });
  if (turn === 40) out.push({ id: id(), player: sc(0), kind: 'propose_truce', team: teams[1].name });
  if (turn === 41) out.push({ id: id(), player: sc(1), kind: 'accept_truce', team: teams[0].name });
  if (turn === 60) {
    out.push({ id: id(), player: 'late-ace', kind: 'join', team: teams[2].name, role: 'pilot', tier: 'gold', credits: 5000, fleet: { corvette: 2, elite_drone: 20, basic_drone: 40 } });
  }
  if (turn === 200) out.push({ id: id(), player: sc(0), kind: 'break_truce', team: teams[1].name });
  const cap3 = captain(3);
  if (turn === 250 && cap3) out.push({ id: id(), player: cap3, kind: 'retreat', mode: 'fighting_withdrawal' });
  const p2 = teams[2].players.find((p) => p.role === 'pilot')?.id;
  if (turn === 300 && p2) out.push({ id: id(), player: p2, kind: 'retreat', mode: 'escape_pods' });
  return out;
}
