// One turn, in order: the team layer authorises every order (chain of command), the squadron layer
// plans them (formations), the sector validates and applies them in log order, then the kernel steps.
// `runTurn` is the same pipeline without actors: replays, recovery and the CLI use it, and the
// actor path must produce the same hashes.

import type { Command } from '../model/commands.js';
import type { Reason, Verdict } from '../model/reasons.js';
import { supremeOf } from '../model/roster.js';
import { authorize } from '../team/authority.js';
import { planCommand, type Plan } from '../squadron/tactics.js';
import { UnitType } from '../unit/catalog.js';
import { clearEvents } from '../unit/events.js';
import { step } from '../unit/step.js';
import { spawnUnit } from '../unit/world.js';
import { applyCommand } from './apply.js';
import { battleHash, type Battle, type BattleEvent } from './battle.js';
import { blockPosition, clamp, UNIT_SPACING } from './setup.js';

export interface CommandResult {
  id: string;
  player: string;
  ok: boolean;
  reason?: Reason;
  message?: string;
}

export interface TurnOutcome {
  battleId: string;
  turn: number;
  hash: string;
  results: CommandResult[];
  events: BattleEvent[];
  /** Kernel events of this turn (kind, a, b, c per event); a view valid until the next turn. */
  kernelEvents: Int32Array;
}

function toResult(cmd: Command, v: Verdict): CommandResult {
  return v.ok ? { id: cmd.id, player: cmd.player, ok: true } : { id: cmd.id, player: cmd.player, ok: false, reason: v.reason, message: v.message };
}

/** Sector stage: apply authorised, planned orders in log order, then run the kernel and the schedule. */
export function resolveTurn(b: Battle, commands: readonly Command[], verdicts: readonly Verdict[], plans: readonly (Plan | null)[]): TurnOutcome {
  b.events = [];
  clearEvents(b.kernel.events);
  const results: CommandResult[] = [];
  for (let i = 0; i < commands.length; i++) {
    const v = verdicts[i].ok ? applyCommand(b, commands[i], plans[i]) : verdicts[i];
    results.push(toResult(commands[i], v));
  }
  step(b.world, b.kernel);
  afterStep(b);
  const ev = b.kernel.events;
  return { battleId: b.config.battleId, turn: b.world.turn, hash: battleHash(b), results, events: b.events, kernelEvents: ev.data.subarray(0, ev.count * 4) };
}

/** The whole turn in one call (no actors). */
export function runTurn(b: Battle, commands: readonly Command[] = []): TurnOutcome {
  const verdicts = commands.map((c) => authorize(b, c));
  const plans = commands.map((c, i) => (verdicts[i].ok ? planCommand(b, c) : null));
  return resolveTurn(b, commands, verdicts, plans);
}

function afterStep(b: Battle): void {
  const w = b.world, r = b.roster;
  // deployment phases ending, withdrawals completing
  let withdrawing = false;
  for (const p of r.players) {
    if (p.status === 'deploying' && w.turn >= p.activeAt) {
      p.status = 'active';
      b.events.push({ type: 'player_active', player: p.id });
    }
    if (p.status === 'withdrawing') withdrawing = true;
  }
  if (withdrawing) {
    const left = new Int32Array(r.players.length);
    for (let s = 0; s < w.highWater; s++) if (w.alive[s] === 1 && w.owner[s] >= 0 && w.type[s] !== UnitType.ESCAPE_POD) left[w.owner[s]]++;
    for (const p of r.players) {
      if (p.status === 'withdrawing' && left[p.index] === 0) {
        p.status = 'retreated';
        b.events.push({ type: 'player_retreated', player: p.id });
      }
    }
  }
  const waves = b.config.waves;
  if (waves && w.turn % waves.everyTurns === 0) sendWaves(b);
}

/** Reinforcement waves: each team with someone still fighting gets a bigger wave than the last. */
function sendWaves(b: Battle): void {
  const w = b.world, r = b.roster, waves = b.config.waves!;
  const pos = new Float64Array(2);
  for (const t of r.teams) {
    if (t.independent) continue;
    if (!r.players.some((p) => p.team === t.index && (p.status === 'active' || p.status === 'deploying'))) continue;
    const k = t.wavesSent++;
    const n = Math.round(waves.baseUnits * (1 + waves.growth * k));
    const leader = supremeOf(r, t.index);
    const owner = leader ? leader.index : -1;
    const squad = leader ? leader.squadron : -1;
    const activeAt = w.turn + b.config.deployTurns;
    for (let i = 0; i < n; i++) {
      // 80% basic drones, then one corvette in every 10, one defense drone in every 10
      const type = i % 10 === 9 ? UnitType.CORVETTE : i % 10 === 4 ? UnitType.DEFENSE_DRONE : UnitType.BASIC_DRONE;
      blockPosition(i, n, t.rallyX, t.rallyY, UNIT_SPACING, pos);
      spawnUnit(w, type, t.index, owner, squad, clamp(pos[0], 0, w.width), clamp(pos[1], 0, w.height), activeAt);
    }
    b.events.push({ type: 'wave_arrived', team: t.name, wave: k + 1, units: n });
  }
}
