// TeamActor: team strategy. Authorises its players' orders through the chain of command, keeps the
// supreme commander's standing order, plans team-wide orders and hands squadron orders to squadrons.

import type { ActorRef, ActorSystem, Reply } from '../runtime.js';
import type { Battle } from '../sector/battle.js';
import type { Command } from '../model/commands.js';
import { findPlayer, findSquadron } from '../model/roster.js';
import type { Verdict } from '../model/reasons.js';
import { planCommand, type Plan } from '../squadron/tactics.js';
import { spawnSquadron, type SquadronMsg } from '../squadron/squadron-actor.js';
import { authorize } from './authority.js';

export interface IntakeItem { index: number; cmd: Command }
export interface IntakeResult { index: number; verdict: Verdict; plan: Plan | null }
export type TeamMsg =
  | { type: 'intake'; items: IntakeItem[]; reply: Reply<IntakeResult[]> }
  | { type: 'standing'; reply: Reply<string | null> }
  // overflow: the team's state comes home from (or goes out to) another node
  | { type: 'restore'; standingOrder: string | null };

interface TeamState {
  squadrons: Map<number, ActorRef<SquadronMsg>>;
  standingOrder: string | null;
}

export function spawnTeam(system: ActorSystem, battle: Battle, team: number, parent: ActorRef<unknown>): ActorRef<TeamMsg> {
  const squadronActor = (state: TeamState, q: number): ActorRef<SquadronMsg> => {
    let ref = state.squadrons.get(q);
    if (!ref) state.squadrons.set(q, (ref = spawnSquadron(system, battle, q, self)));
    return ref;
  };
  const self: ActorRef<TeamMsg> = system.spawn<TeamState, TeamMsg>(`team-${team}`, { squadrons: new Map(), standingOrder: null }, async (state, msg) => {
    if (msg.type === 'standing') { msg.reply(state.standingOrder); return state; }
    if (msg.type === 'restore') { state.standingOrder = msg.standingOrder; return state; }
    const results: IntakeResult[] = [];
    const bySquadron = new Map<number, IntakeItem[]>();
    for (const item of msg.items) {
      const verdict = authorize(battle, item.cmd);
      const result: IntakeResult = { index: item.index, verdict, plan: null };
      results.push(result);
      if (!verdict.ok || !('scope' in item.cmd)) continue;
      const scope = item.cmd.scope;
      if ('team' in scope) {
        result.plan = planCommand(battle, item.cmd); // team-wide: this layer's own plan
        state.standingOrder = `${item.cmd.kind} by ${item.cmd.player}`;
        continue;
      }
      const q = 'squadron' in scope ? findSquadron(battle.roster, scope.squadron)!.index : findPlayer(battle.roster, item.cmd.player)!.squadron;
      let list = bySquadron.get(q);
      if (!list) bySquadron.set(q, (list = []));
      list.push(item);
    }
    const planned = await Promise.all([...bySquadron].map(([q, items]) =>
      system.ask<SquadronMsg, { index: number; plan: Plan | null }[]>(squadronActor(state, q), (reply) => ({ type: 'plan', items, reply }))));
    const byIndex = new Map(results.map((r) => [r.index, r]));
    for (const list of planned) for (const { index, plan } of list) byIndex.get(index)!.plan = plan;
    msg.reply(results);
    return state;
  }, parent);
  return self;
}
