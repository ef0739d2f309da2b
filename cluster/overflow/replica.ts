// An overflow node's side of a crowded sector: a replica of the battle that follows every turn's orders
// (checked against the primary's hash after each), and the team and squadron actors of the teams placed
// here, which take in those teams' orders against the replica's state at the start of each turn.

import type { ActorRef, ActorSystem } from '../../actors/runtime.js';
import type { Battle } from '../../actors/sector/battle.js';
import { runTurn } from '../../actors/sector/turn.js';
import { spawnTeam, type IntakeItem, type IntakeResult, type TeamMsg } from '../../actors/team/team-actor.js';
import { decodeCommands, type FollowTurnMsg, type IntakeOrderMsg } from './codec.js';

export class ReplicaError extends Error {}

let replicas = 0;

export class OverflowReplica {
  private readonly parent: ActorRef<null>;
  private readonly teams = new Map<number, ActorRef<TeamMsg>>();
  private queue: Promise<unknown> = Promise.resolve();
  orders = 0;
  lastCallAt = performance.now();

  constructor(readonly sector: string, readonly token: number, readonly primary: string, readonly battle: Battle, teams: readonly number[], standing: Record<string, string | null>, private readonly system: ActorSystem) {
    for (const t of teams) if (!Number.isInteger(t) || t < 0 || t >= battle.roster.teams.length) throw new ReplicaError(`no team ${t} in sector ${sector}`);
    // a parent per replica (team actor names repeat across sectors), named afresh each time (a re-attach may overlap)
    this.parent = system.spawn<null, null>(`overflow-${sector}-${token}-${++replicas}`, null, (s) => s);
    for (const t of teams) {
      const ref = spawnTeam(system, battle, t, this.parent);
      system.tell(ref, { type: 'restore', standingOrder: standing[String(t)] ?? null });
      this.teams.set(t, ref);
    }
  }

  get teamIndices(): number[] { return [...this.teams.keys()].sort((a, b) => a - b); }

  /** Follows the primary up to `turn - 1`, then takes in this turn's orders. Calls run one at a time. */
  turn(turn: number, follow: readonly FollowTurnMsg[], orders: readonly IntakeOrderMsg[], followOnly = false): Promise<IntakeResult[]> {
    this.lastCallAt = performance.now();
    const run = this.queue.then(() => this.runTurn(turn, follow, orders, followOnly));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runTurn(turn: number, follow: readonly FollowTurnMsg[], orders: readonly IntakeOrderMsg[], followOnly: boolean): Promise<IntakeResult[]> {
    const w = this.battle.world;
    for (const f of follow) {
      if (f.turn <= w.turn) continue; // already followed (a retried call)
      if (f.turn !== w.turn + 1) throw new ReplicaError(`replica of ${this.sector} is at turn ${w.turn}; cannot follow turn ${f.turn}`);
      const out = runTurn(this.battle, decodeCommands(f.commandsJson));
      if (out.hash !== f.hash) throw new ReplicaError(`replica of ${this.sector} diverged at turn ${f.turn}: ${out.hash} here, ${f.hash} on the primary`);
    }
    if (followOnly) return [];
    if (w.turn !== turn - 1) throw new ReplicaError(`replica of ${this.sector} is at turn ${w.turn}, not ${turn - 1}`);
    const byTeam = new Map<number, IntakeItem[]>();
    for (const o of orders) {
      if (!this.teams.has(o.team)) throw new ReplicaError(`team ${o.team} of ${this.sector} does not run here`);
      let list = byTeam.get(o.team);
      if (!list) byTeam.set(o.team, (list = []));
      const cmd: unknown = JSON.parse(o.commandJson);
      if (typeof cmd !== 'object' || cmd === null || Array.isArray(cmd)) throw new ReplicaError(`order ${o.index} is not an order object`);
      list.push({ index: o.index, cmd: cmd as IntakeItem['cmd'] });
    }
    const answers = await Promise.all([...byTeam].map(([team, items]) =>
      this.system.ask<TeamMsg, IntakeResult[]>(this.teams.get(team)!, (reply) => ({ type: 'intake', items, reply }), 5000)));
    this.orders += orders.length;
    return answers.flat();
  }

  /** The teams' state, to go home with them. */
  async standing(): Promise<Record<string, string | null>> {
    const out: Record<string, string | null> = {};
    for (const [t, ref] of this.teams) out[String(t)] = await this.system.ask<TeamMsg, string | null>(ref, (reply) => ({ type: 'standing', reply }), 5000);
    return out;
  }

  stop(): void {
    this.system.stopActor(this.parent);
  }
}
