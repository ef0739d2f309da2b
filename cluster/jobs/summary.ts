// A finished battle as the jobs see it: per-team losses, kills and starting fleet value, and a timeline.

import { isDecided, leadingTeam, type Battle } from '../../actors/sector/battle.js';
import { UnitType } from '../../actors/unit/catalog.js';
import type { BattleSummary } from './kinds.js';

/** Remaining fleet value per team, now. */
export function fleetValues(b: Battle): number[] {
  const w = b.world;
  const out = new Array<number>(w.teamCount).fill(0);
  for (let s = 0; s < w.highWater; s++) if (w.alive[s] === 1 && w.type[s] !== UnitType.ESCAPE_POD) out[w.team[s]] += w.catalog.cost[w.type[s]];
  return out;
}

/** Follows a battle turn by turn and produces its summary once it is decided. */
export class BattleRecorder {
  private readonly initial: number[];
  private readonly timeline: BattleSummary['timeline'] = [];
  private maxUnits: number;
  done = false;

  constructor(private readonly b: Battle, private readonly sampleEvery = 50, private readonly insured: (team: string) => boolean = () => false) {
    this.initial = fleetValues(b);
    this.maxUnits = b.world.liveCount;
  }

  /** Call after every turn; returns the summary on the turn the battle is decided, once. */
  turn(): BattleSummary | null {
    const b = this.b;
    this.maxUnits = Math.max(this.maxUnits, b.world.liveCount);
    if (b.world.turn % this.sampleEvery === 0) this.timeline.push({ turn: b.world.turn, values: fleetValues(b) });
    if (this.done || !isDecided(b)) return null;
    this.done = true;
    this.timeline.push({ turn: b.world.turn, values: fleetValues(b) });
    const w = b.world;
    return {
      battleId: b.config.battleId,
      winner: b.roster.teams[leadingTeam(b)].name,
      turns: w.turn,
      units: this.maxUnits,
      teams: b.roster.teams.map((t, i) => ({ name: t.name, insured: this.insured(t.name), fleetValue: this.initial[i] ?? 0, lostValue: w.stats.lostValue[i], killedValue: w.stats.killedValue[i] })),
      timeline: this.timeline,
    };
  }
}
