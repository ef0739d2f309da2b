// SquadronActor: squadron tactics. Plans the orders addressed to its squadron (formations) for the turn.

import type { ActorRef, ActorSystem, Reply } from '../runtime.js';
import type { Battle } from '../sector/battle.js';
import type { Command } from '../model/commands.js';
import { planCommand, type Plan } from './tactics.js';

export type SquadronMsg = { type: 'plan'; items: { index: number; cmd: Command }[]; reply: Reply<{ index: number; plan: Plan | null }[]> };

export function spawnSquadron(system: ActorSystem, battle: Battle, squadron: number, parent: ActorRef<unknown>): ActorRef<SquadronMsg> {
  const name = `squadron-${squadron}`;
  return system.spawn<null, SquadronMsg>(name, null, (state, msg) => {
    if (msg.type === 'plan') msg.reply(msg.items.map(({ index, cmd }) => ({ index, plan: planCommand(battle, cmd) })));
    return state;
  }, parent);
}
