// The primary's side of overflow. Past `highWater` fighting players the sector's teams are spread over
// more nodes (whole teams, least-loaded nodes first); below `lowWater` they come home. The sector actor
// stays the one authority: each turn it asks the overflow nodes for their teams' verdicts and plans, and
// tells them the orders of the turns since, so their replicas stand where the primary stood. A node that
// fails, lags or diverges is dropped and its teams are served here again: intake is a pure function of
// the state, so the hashes are the same wherever it ran.

import type { Command } from '../../actors/model/commands.js';
import type { ActorRef, ActorSystem } from '../../actors/runtime.js';
import type { Battle } from '../../actors/sector/battle.js';
import type { SectorMsg } from '../../actors/sector/sector-actor.js';
import { serializeBattle } from '../../actors/sector/snapshot.js';
import type { TeamOffload } from '../../actors/sector/team-offload.js';
import type { IntakeItem, IntakeResult, TeamMsg } from '../../actors/team/team-actor.js';
import { unaryCall as unary, type NodeClient } from '../grpc/clients.js';
import type { NodeInfo } from '../placement/placement.js';
import { assignTeams, nodesWanted } from './assign.js';
import { decodeResult, type FollowTurnMsg, type IntakeOrderMsg, type IntakeVerdictMsg } from './codec.js';

export interface OverflowOptions {
  /** Spread when more players than this fight in the sector (the seeds' primary node holds 50–100). */
  highWater: number;
  /** Consolidate when fewer fight than this. */
  lowWater: number;
  /** Deadline of the per-turn call to an overflow node; past it the turn goes on without that node. */
  deadlineMs: number;
  /** After a failed spread or a dropped node, wait this long before spreading again. */
  cooldownMs: number;
}
export const DEFAULT_OVERFLOW: OverflowOptions = { highWater: 100, lowWater: 80, deadlineMs: 250, cooldownMs: 5000 };

export interface OverflowDeps {
  sector: string;
  self: string;
  battle: Battle;
  system: ActorSystem;
  sectorActor: () => ActorRef<SectorMsg>;
  members(): Promise<NodeInfo[]>;
  client(address: string): NodeClient;
  token(): number;
  log: { info(o: object, m?: string): void; warn(o: object, m?: string): void };
}

interface Peer { id: string; address: string; teams: number[]; syncedTurn: number }
interface ResolvedTurn { turn: number; commandsJson: string; hash: string }
interface TurnReply { ok: boolean; error: string; verdicts: IntakeVerdictMsg[]; turn: number }

/** Turns kept for a node still catching up (its attach reply came a few turns after the snapshot). */
const KEPT_TURNS = 100;

/** Players fighting in a battle (joined and not retreating), per team index. */
export function fightingPerTeam(b: Battle): number[] {
  const per = new Array<number>(b.roster.teams.length).fill(0);
  for (const p of b.roster.players) if (p.status === 'active' || p.status === 'deploying') per[p.team]++;
  return per;
}

export function fightingPlayers(b: Battle): number {
  return fightingPerTeam(b).reduce((a, n) => a + n, 0);
}

export class OverflowPrimary implements TeamOffload {
  private readonly peers = new Map<string, Peer>();
  private readonly hostOf = new Map<number, Peer>();
  private readonly kept: ResolvedTurn[] = [];
  private busy = false;
  private cooldownUntil = 0;
  private stopped = false;
  /** Orders taken in on overflow nodes, and turns where a node failed and its teams were served here. */
  readonly counts = { remoteOrders: 0, fallbacks: 0 };

  constructor(private readonly d: OverflowDeps, private readonly o: OverflowOptions = DEFAULT_OVERFLOW) {}

  get nodes(): string[] { return [...this.peers.keys()].sort(); }

  hosts(team: number): boolean { return this.hostOf.has(team); }

  /** At every turn boundary: spread past the high-water mark, consolidate below the low one. */
  afterTurn(): void {
    if (this.busy || this.stopped) return;
    const fighting = fightingPlayers(this.d.battle);
    if (this.peers.size === 0 && fighting > this.o.highWater && performance.now() >= this.cooldownUntil) void this.spread(fighting);
    else if (this.peers.size > 0 && fighting < this.o.lowWater) void this.consolidate(`${fighting} players fighting, below ${this.o.lowWater}`);
  }

  resolved(turn: number, commands: readonly Command[], hash: string): void {
    if (this.peers.size === 0 && !this.busy) return;
    const resolved = { turn, commandsJson: JSON.stringify(commands), hash };
    this.kept.push(resolved);
    if (this.kept.length > KEPT_TURNS) this.kept.shift();
    // the replicas step now, between turns, not inside the next turn's intake call
    for (const peer of this.peers.values()) {
      const follow = this.followOf(peer, turn + 1);
      if (follow === null) continue; // the next intake call finds the gap and drops the node
      unary<TurnReply>(this.d.client(peer.address), 'overflowTurn', { sector: this.d.sector, token: this.d.token(), turn: turn + 1, follow, orders: [], followOnly: true }, Math.max(this.o.deadlineMs, 1000)).then(
        (r) => { if (r.ok) peer.syncedTurn = Math.max(peer.syncedTurn, turn); else this.drop(peer, r.error); },
        (err: unknown) => this.drop(peer, String(err instanceof Error ? err.message : err)),
      );
    }
  }

  /** The kept turns `peer` has not confirmed, up to `turn - 1`; null when some are no longer kept. */
  private followOf(peer: Peer, turn: number): FollowTurnMsg[] | null {
    const follow: FollowTurnMsg[] = [];
    for (const k of this.kept) if (k.turn > peer.syncedTurn && k.turn < turn) follow.push({ turn: k.turn, commandsJson: k.commandsJson, hash: k.hash });
    return peer.syncedTurn < turn - 1 && follow[0]?.turn !== peer.syncedTurn + 1 ? null : follow;
  }

  async intake(turn: number, byTeam: ReadonlyMap<number, IntakeItem[]>): Promise<ReadonlyMap<number, IntakeResult[]>> {
    const out = new Map<number, IntakeResult[]>();
    await Promise.all([...this.peers.values()].map(async (peer) => {
      try {
        const follow = this.followOf(peer, turn);
        if (follow === null) throw new Error(`turns ${peer.syncedTurn + 1}… are no longer kept`);
        const orders: IntakeOrderMsg[] = [];
        const teamOf = new Map<number, number>();
        for (const team of peer.teams) {
          for (const item of byTeam.get(team) ?? []) { orders.push({ index: item.index, team, commandJson: JSON.stringify(item.cmd) }); teamOf.set(item.index, team); }
        }
        const r = await unary<TurnReply>(this.d.client(peer.address), 'overflowTurn', { sector: this.d.sector, token: this.d.token(), turn, follow, orders }, this.o.deadlineMs);
        if (!r.ok) throw new Error(r.error);
        const mine = new Map<number, IntakeResult[]>();
        for (const v of r.verdicts) {
          const team = teamOf.get(v.index);
          if (team === undefined) throw new Error(`an answer for order ${v.index}, which was not asked`);
          teamOf.delete(v.index);
          let list = mine.get(team);
          if (!list) mine.set(team, (list = []));
          list.push(decodeResult(v));
        }
        if (teamOf.size > 0) throw new Error(`${teamOf.size} orders unanswered`);
        peer.syncedTurn = Math.max(peer.syncedTurn, turn - 1);
        for (const [team, list] of mine) out.set(team, list);
        this.counts.remoteOrders += orders.length;
      } catch (err) {
        this.counts.fallbacks++;
        this.drop(peer, String(err instanceof Error ? err.message : err));
      }
    }));
    return out;
  }

  /** Brings every team home before the battle is handed over (a migration); it may spread again if the hand-off fails. */
  async bringHome(why: string): Promise<void> {
    await this.consolidate(why);
  }

  /** Ends overflow for good (the sector stops or moves): the nodes drop their replicas. */
  stop(): void {
    this.stopped = true;
    void this.consolidate('sector stopped here', false);
  }

  private async spread(fighting: number): Promise<void> {
    this.busy = true;
    const b = this.d.battle;
    // at the turn boundary, before anything awaits: the replicas start from exactly this state
    const state = Buffer.from(serializeBattle(b));
    const atTurn = b.world.turn;
    try {
      const others = (await this.d.members()).filter((m) => m.id !== this.d.self && m.address)
        .sort((x, y) => x.load.players - y.load.players || x.id.localeCompare(y.id));
      const loads = fightingPerTeam(b).map((players, team) => ({ team, players }));
      const n = nodesWanted(fighting, this.o.highWater, others.length + 1, loads.length);
      if (n < 2) { this.d.log.warn({ sector: this.d.sector, fighting, nodes: others.length + 1 }, 'sector is past its overflow threshold but no other node can take teams'); this.cooldownUntil = performance.now() + this.o.cooldownMs; return; }
      const slotOf = assignTeams(loads, n);
      const teamActors = await this.d.system.ask<SectorMsg, ActorRef<TeamMsg>[]>(this.d.sectorActor(), (reply) => ({ type: 'teams', reply }), 5000);
      await Promise.all(others.slice(0, n - 1).map(async (node, i) => {
        const teams = [...slotOf].filter(([, slot]) => slot === i + 1).map(([t]) => t).sort((x, y) => x - y);
        if (teams.length === 0) return;
        const standing: Record<string, string | null> = {};
        for (const t of teams) standing[String(t)] = await this.d.system.ask<TeamMsg, string | null>(teamActors[t], (reply) => ({ type: 'standing', reply }), 5000);
        const r = await unary<{ ok: boolean; error: string }>(this.d.client(node.address), 'attachOverflow',
          { sector: this.d.sector, token: this.d.token(), state, teams, standingJson: JSON.stringify(standing), primary: this.d.self }, 5000).catch((err) => ({ ok: false, error: String(err) }));
        if (!r.ok) { this.d.log.warn({ sector: this.d.sector, node: node.id, err: r.error }, 'overflow node refused the teams'); this.cooldownUntil = performance.now() + this.o.cooldownMs; return; }
        if (this.stopped) { // stopped while attaching: that node holds a replica nobody will detach otherwise
          void unary(this.d.client(node.address), 'detachOverflow', { sector: this.d.sector, token: this.d.token() }, 2000).catch(() => undefined);
          return;
        }
        const peer: Peer = { id: node.id, address: node.address, teams, syncedTurn: atTurn };
        this.peers.set(node.id, peer);
        for (const t of teams) this.hostOf.set(t, peer);
      }));
      this.d.log.info({ sector: this.d.sector, fighting, turn: atTurn, nodes: Object.fromEntries([...this.peers.values()].map((p) => [p.id, p.teams])) }, 'sector overflowed: teams spread onto other nodes');
    } catch (err) {
      this.d.log.warn({ sector: this.d.sector, err: String(err) }, 'overflow spread failed');
      this.cooldownUntil = performance.now() + this.o.cooldownMs;
    } finally {
      this.busy = false;
    }
  }

  private async consolidate(why: string, restore = true): Promise<void> {
    const leaving = [...this.peers.values()];
    if (leaving.length === 0) return;
    this.busy = true;
    this.peers.clear();
    this.hostOf.clear(); // from the next turn on every team is taken in here
    this.kept.length = 0;
    try {
      const teamActors = restore ? await this.d.system.ask<SectorMsg, ActorRef<TeamMsg>[]>(this.d.sectorActor(), (reply) => ({ type: 'teams', reply }), 5000) : [];
      await Promise.all(leaving.map(async (peer) => {
        const r = await unary<{ ok: boolean; error: string; standingJson: string }>(this.d.client(peer.address), 'detachOverflow', { sector: this.d.sector, token: this.d.token() }, 5000).catch(() => null);
        if (!r?.ok || !restore) return;
        const standing = JSON.parse(r.standingJson || '{}') as Record<string, string | null>;
        for (const t of peer.teams) if (teamActors[t]) this.d.system.tell(teamActors[t], { type: 'restore', standingOrder: standing[String(t)] ?? null });
      }));
      this.d.log.info({ sector: this.d.sector, turn: this.d.battle.world.turn, from: leaving.map((p) => p.id), why }, 'sector consolidated: every team back on its primary');
    } catch (err) {
      // the teams are served here already (peers cleared above); only restoring their standing orders failed
      this.d.log.warn({ sector: this.d.sector, err: String(err), why }, 'overflow consolidation incomplete');
    } finally {
      this.busy = false;
    }
  }

  private drop(peer: Peer, why: string): void {
    if (this.peers.get(peer.id) !== peer) return;
    this.peers.delete(peer.id);
    for (const t of peer.teams) if (this.hostOf.get(t) === peer) this.hostOf.delete(t);
    if (this.peers.size === 0) this.kept.length = 0;
    this.cooldownUntil = performance.now() + this.o.cooldownMs;
    this.d.log.warn({ sector: this.d.sector, node: peer.id, why }, 'overflow node dropped: its teams are served by the primary again');
    void unary(this.d.client(peer.address), 'detachOverflow', { sector: this.d.sector, token: this.d.token() }, 2000).catch(() => undefined);
    // the rest come home too: after the cool-down the sector spreads afresh over the nodes there are then
    if (this.peers.size > 0) void this.consolidate(`node ${peer.id} failed`);
  }
}
