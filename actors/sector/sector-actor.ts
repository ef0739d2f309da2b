// SectorActor: the sector campaign layer and the battle's single authority. It queues submitted
// orders, and on each tick has the team actors authorise and plan them, applies them in arrival order,
// steps the kernel, logs the turn's orders and events, and publishes the turn to subscribers.

import type { ActorRef, ActorSystem, Reply } from '../runtime.js';
import { parseCommand, type Command } from '../model/commands.js';
import { findPlayer, findTeam } from '../model/roster.js';
import type { Verdict } from '../model/reasons.js';
import type { Plan } from '../squadron/tactics.js';
import { authorize } from '../team/authority.js';
import { spawnTeam, type IntakeItem, type IntakeResult, type TeamMsg } from '../team/team-actor.js';
import type { Battle } from './battle.js';
import type { CommandLog } from './command-log.js';
import type { TeamOffload } from './team-offload.js';
import { resolveTurn, type CommandResult, type TurnOutcome } from './turn.js';

export type SubmitResult = { queued: true; turn: number } | { queued: false; result: CommandResult };

export interface PublishedTurn extends TurnOutcome {
  dilation: number;
  /** Turns up to this one have their orders durably logged: results up to it may be acknowledged. */
  durableTurn: number;
}
export type TurnListener = (turn: PublishedTurn) => void;

export type SectorMsg =
  | { type: 'submit'; command: unknown; reply?: Reply<SubmitResult> }
  | { type: 'tick'; dilation: number; reply: Reply<PublishedTurn> }
  | { type: 'subscribe'; listener: TurnListener }
  | { type: 'drain'; reply: Reply<{ pending: Command[]; recent: string[] }> } // migration: hand over what is queued
  | { type: 'teams'; reply: Reply<ActorRef<TeamMsg>[]> } // overflow: the local team actors, to hand their state over
  | { type: 'unsubscribe'; listener: TurnListener };

interface SectorState {
  pending: Command[];
  recent: Map<string, number>; // command id → turn it was queued for: a retry is answered, not applied twice
  teams: ActorRef<TeamMsg>[];
  listeners: TurnListener[];
}

/** Largest queue of orders waiting for the next turn; past it orders are refused, never buffered without bound. */
export const MAX_PENDING = 10_000;
/** How many recent command ids a sector remembers to drop retries. */
export const RECENT_IDS = 100_000;

export interface SectorSeed { pending?: Command[]; recent?: string[] }

export function spawnSector(system: ActorSystem, battle: Battle, log: CommandLog, seed: SectorSeed = {}, offload?: TeamOffload): ActorRef<SectorMsg> {
  const ensureTeams = (state: SectorState) => {
    while (state.teams.length < battle.roster.teams.length) state.teams.push(spawnTeam(system, battle, state.teams.length, self));
  };
  const recent = new Map<string, number>((seed.recent ?? []).map((id) => [id, 0]));
  for (const c of seed.pending ?? []) recent.set(c.id, battle.world.turn + 1);
  const self: ActorRef<SectorMsg> = system.spawn<SectorState, SectorMsg>(`sector-${battle.config.battleId}`, { pending: [...(seed.pending ?? [])], recent, teams: [], listeners: [] }, async (state, msg) => {
    switch (msg.type) {
      case 'submit': {
        const parsed = parseCommand(msg.command);
        const rawId = typeof (msg.command as { id?: unknown })?.id === 'string' ? (msg.command as { id: string }).id : '';
        const rawPlayer = typeof (msg.command as { player?: unknown })?.player === 'string' ? (msg.command as { player: string }).player : '';
        if (!parsed.ok) {
          msg.reply?.({ queued: false, result: { id: rawId, player: rawPlayer, ok: false, reason: parsed.reason, message: parsed.message } });
        } else if (state.recent.has(parsed.command.id)) {
          msg.reply?.({ queued: true, turn: state.recent.get(parsed.command.id)! }); // a retry: already queued or applied
        } else if (log.accepting && !log.accepting()) {
          msg.reply?.({ queued: false, result: { id: rawId, player: rawPlayer, ok: false, reason: 'LOG_BACKLOG', message: 'the battle log is catching up with its store; orders resume shortly' } });
        } else if (state.pending.length >= MAX_PENDING) {
          msg.reply?.({ queued: false, result: { id: rawId, player: rawPlayer, ok: false, reason: 'QUEUE_FULL', message: 'sector order queue is full; retry next turn' } });
        } else {
          state.pending.push(parsed.command);
          state.recent.set(parsed.command.id, battle.world.turn + 1);
          if (state.recent.size > RECENT_IDS) state.recent.delete(state.recent.keys().next().value!);
          msg.reply?.({ queued: true, turn: battle.world.turn + 1 });
        }
        return state;
      }
      case 'subscribe':
        state.listeners.push(msg.listener);
        return state;
      case 'drain': {
        const pending = state.pending;
        state.pending = [];
        msg.reply({ pending, recent: [...state.recent.keys()] });
        return state;
      }
      case 'teams':
        ensureTeams(state);
        msg.reply([...state.teams]);
        return state;
      case 'unsubscribe':
        state.listeners = state.listeners.filter((l) => l !== msg.listener);
        return state;
      case 'tick': {
        ensureTeams(state);
        const commands = state.pending;
        state.pending = [];
        const { verdicts, plans } = await intake(system, battle, state, commands, offload);
        const resolved = resolveTurn(battle, commands, verdicts, plans);
        offload?.resolved(resolved.turn, commands, resolved.hash);
        // the turn's orders and events go to the log (no result is acknowledged before its turn is durable)
        await log.append({ turn: resolved.turn, commands, events: resolved.events });
        const outcome: PublishedTurn = { ...resolved, dilation: msg.dilation, durableTurn: log.durableTurn ? log.durableTurn() : resolved.turn };
        for (const l of state.listeners) {
          try { l(outcome); } catch { /* a subscriber's failure is its own: the turn stands */ }
        }
        msg.reply(outcome);
        return state;
      }
    }
  });
  return self;
}

/**
 * Routes each order to its issuer's team actor (one batched message per team) and gathers the verdicts and
 * plans. Teams whose actors run on overflow nodes are asked there; a team they could not serve is asked here.
 */
async function intake(system: ActorSystem, battle: Battle, state: SectorState, commands: Command[], offload?: TeamOffload): Promise<{ verdicts: Verdict[]; plans: (Plan | null)[] }> {
  const verdicts: Verdict[] = new Array(commands.length);
  const plans: (Plan | null)[] = new Array(commands.length).fill(null);
  const byTeam = new Map<number, IntakeItem[]>();
  const remote = new Map<number, IntakeItem[]>();
  commands.forEach((cmd, index) => {
    const team = cmd.kind === 'join' ? findTeam(battle.roster, cmd.team)?.index : findPlayer(battle.roster, cmd.player)?.team;
    if (team === undefined) { verdicts[index] = authorize(battle, cmd); return; } // unknown player or a new independent
    const into = offload?.hosts(team) ? remote : byTeam;
    let list = into.get(team);
    if (!list) into.set(team, (list = []));
    list.push({ index, cmd });
  });
  const askLocal = (team: number, items: IntakeItem[]) => system.ask<TeamMsg, IntakeResult[]>(state.teams[team], (reply) => ({ type: 'intake', items, reply }));
  const none = new Map<number, IntakeResult[]>();
  const served = offload ? offload.intake(battle.world.turn + 1, remote).catch(() => none) : Promise.resolve(none);
  const local = Promise.all([...byTeam].map(([team, items]) => askLocal(team, items)));
  const away = served.then((answers) => Promise.all([...remote].map(([team, items]) => answers.get(team) ?? askLocal(team, items))));
  const [here, there] = await Promise.all([local, away]);
  for (const list of [...here, ...there]) for (const r of list) { verdicts[r.index] = r.verdict; plans[r.index] = r.plan; }
  return { verdicts, plans };
}
