// A node: the actor system, the sectors whose leases it holds, and the gRPC SectorNode service that
// gateways and other nodes call. Membership heartbeats and lease renewals run in the background.

import * as grpc from '@grpc/grpc-js';
import { parseCommand, type Command } from '../../actors/model/commands.js';
import { createActorSystem, type ActorSystem } from '../../actors/runtime.js';
import type { Battle } from '../../actors/sector/battle.js';
import type { SectorMsg, SubmitResult } from '../../actors/sector/sector-actor.js';
import { deserializeBattle, serializeBattle } from '../../actors/sector/snapshot.js';
import { battleHash } from '../../actors/sector/battle.js';
import { recoverBattle } from '../store/recovery.js';
import { BufferedStoreLog } from '../store/buffered-log.js';
import { BattleRecorder } from '../jobs/summary.js';
import type { Jobs } from '../jobs/runner.js';
import { StaleOwnerError, type Store } from '../store/store.js';
import { LeaseKeeper } from '../placement/lease-keeper.js';
import type { NodeInfo, Placement } from '../placement/placement.js';
import { SectorNodeService, type FrameMsg } from '../grpc/node-proto.js';
import { HostedSector } from './hosted-sector.js';
import { nodeClient, unaryCall } from '../grpc/clients.js';
import { DEFAULT_OVERFLOW, OverflowPrimary, fightingPlayers, type OverflowOptions } from '../overflow/primary.js';
import { OverflowReplicas } from '../overflow/replicas.js';

export interface Logger { info(o: object, m?: string): void; warn(o: object, m?: string): void; error(o: object, m?: string): void }

export interface NodeOptions {
  id: string;
  host?: string;
  port?: number; // 0: any free port
  placement: Placement;
  leaseTtlMs?: number;
  heartbeatMs?: number;
  log: Logger;
  /** With a store, sectors are logged and snapshotted, and orphaned ones (their node died) are recovered here. */
  store?: Store;
  snapshotEverySeconds?: number;
  /** When a battle is decided: settlement, chronicle and archiving jobs, once per battle. */
  jobs?: Jobs;
  /** Spreading crowded sectors' teams over other nodes (false: never). */
  overflow?: Partial<OverflowOptions> | false;
  /** An overflow replica no primary has called for this long is dropped. */
  replicaIdleMs?: number;
}

type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>;

export class NodeServer {
  readonly server = new grpc.Server({ 'grpc.max_send_message_length': 64 * 1024 * 1024, 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  readonly system: ActorSystem;
  readonly keeper: LeaseKeeper;
  readonly sectors = new Map<string, HostedSector>();
  address = '';
  readonly replicas: OverflowReplicas;
  private heartbeat: NodeJS.Timeout | null = null;
  private claimHoldUntil = 0;
  private readonly ttl: number;

  constructor(private readonly o: NodeOptions) {
    this.ttl = o.leaseTtlMs ?? 3000;
    this.system = createActorSystem(`node-${o.id}`, (actor, err) => o.log.error({ actor, err }, 'actor handler failed'));
    this.keeper = new LeaseKeeper(o.placement, o.id, { ttlMs: this.ttl, onLost: (sector, why) => o.log.warn({ sector, why }, 'lease lost: sector stopped') });
    this.replicas = new OverflowReplicas(this.system, o.log, o.replicaIdleMs ?? 10_000);
    this.server.addService(SectorNodeService.service, {
      submit: this.submit, subscribe: this.subscribe, status: this.status, acceptSector: this.acceptSector, migrateSector: this.migrateSector, commandLog: this.commandLog, rollback: this.rollbackRpc,
      ...this.replicas.handlers,
    } as unknown as grpc.UntypedServiceImplementation);
  }

  async start(): Promise<string> {
    const port = await new Promise<number>((resolve, reject) => this.server.bindAsync(`${this.o.host ?? '127.0.0.1'}:${this.o.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
    this.address = `${this.o.host ?? '127.0.0.1'}:${port}`;
    this.keeper.start();
    let registered = false;
    const beat = () => this.o.placement.heartbeat(this.info(), 3 * (this.o.heartbeatMs ?? 1000)).then((known) => {
      // registered before and now unknown: the directory lost its data (a Redis restart). Leases vanished with it,
      // but their holders may run until their last renewal's safe time: claim nothing for one lease TTL.
      if (registered && !known) {
        this.claimHoldUntil = performance.now() + this.ttl;
        this.o.log.warn({ holdMs: this.ttl }, 'placement directory lost its data: holding claims for one lease TTL');
      }
      registered = true;
    }, (err) => this.o.log.warn({ err: String(err) }, 'heartbeat failed'));
    await beat();
    this.heartbeat = setInterval(() => {
      // the beat first: it is what tells us the directory lost its data before we claim anything
      this.replicas.expire();
      void beat().then(() => (this.o.store ? this.adoptOrphans() : undefined)).catch((err) => this.o.log.warn({ err: String(err) }, 'orphan check failed'));
    }, this.o.heartbeatMs ?? 1000);
    this.heartbeat.unref();
    return this.address;
  }

  info(): NodeInfo {
    let players = 0, units = 0, turnMs = 0;
    for (const h of this.sectors.values()) { players += fightingPlayers(h.battle); units += h.battle.world.liveCount; turnMs += h.lastTurnMs; }
    players += this.replicas.players(); // teams run here for other nodes' sectors
    return { id: this.o.id, address: this.address, load: { sectors: this.sectors.size, players, units, turnMs } };
  }

  /** Claims the sector and, if this node wins, runs `battle` (a new one, or one restored elsewhere). */
  async host(sector: string, battle: Battle): Promise<boolean> {
    const lease = await this.keeper.claim(sector);
    if (!lease) return false;
    if (this.o.store) await this.o.store.saveSnapshot(sector, lease.token, battle.world.turn, battleHash(battle), serializeBattle(battle));
    this.run(sector, battle, {});
    return true;
  }

  /** Claims sectors the store knows whose lease has expired (their node died) and recovers them here. */
  async adoptOrphans(): Promise<string[]> {
    const store = this.o.store;
    if (!store) return [];
    const adopted: string[] = [];
    if (performance.now() < this.claimHoldUntil) return [];
    for (const sector of await store.sectors()) {
      if (this.sectors.has(sector) || (await this.o.placement.owner(sector))) continue;
      await this.o.placement.raiseFence(sector, await store.fenceToken(sector)); // tokens stay above any that wrote
      const lease = await this.keeper.claim(sector);
      if (!lease) continue;
      const t0 = performance.now();
      const rec = await recoverBattle(store, sector);
      if (!rec) { await this.keeper.release(sector); continue; }
      // a snapshot under the new token right away: it also fences out the dead owner for good
      await store.saveSnapshot(sector, lease.token, rec.battle.world.turn, battleHash(rec.battle), serializeBattle(rec.battle));
      this.run(sector, rec.battle, {});
      this.o.log.info({ sector, turn: rec.battle.world.turn, fromSnapshot: rec.snapshotTurn, replayed: rec.replayedTurns, skipped: rec.skippedSnapshots, ms: performance.now() - t0 }, 'recovered sector');
      adopted.push(sector);
    }
    return adopted;
  }

  private readonly recorders = new Map<string, BattleRecorder>();

  private afterTurn(h: HostedSector): void {
    this.snapshotDue(h);
    const jobs = this.o.jobs;
    if (!jobs) return;
    let rec = this.recorders.get(h.id);
    if (!rec || rec === undefined) this.recorders.set(h.id, (rec = new BattleRecorder(h.battle)));
    const summary = rec.turn();
    if (!summary) return;
    const id = summary.battleId;
    this.o.log.info({ sector: h.id, winner: summary.winner, turns: summary.turns }, 'battle decided: settlement, chronicle and archive queued');
    void Promise.all([
      jobs.enqueue('settlement', `settlement/${id}`, summary),
      jobs.enqueue('chronicle', `chronicle/${id}`, summary),
      jobs.enqueue('archive', `archive/${id}`, { battleId: id, sector: h.id }),
    ]).catch((err) => this.o.log.error({ err: String(err) }, 'could not queue battle jobs'));
  }

  private snapshotDue(h: HostedSector): void {
    const store = this.o.store;
    if (!store) return;
    const every = Math.max(1, Math.round((this.o.snapshotEverySeconds ?? 30) * h.battle.config.turnsPerSecond));
    if (h.battle.world.turn % every !== 0) return;
    const token = this.keeper.token(h.id), turn = h.battle.world.turn;
    const bytes = serializeBattle(h.battle); // at the turn boundary; written in the background
    const hash = battleHash(h.battle);
    const w = h.battle.world;
    void store.saveSummary?.(h.id, h.battle.config.battleId, turn, fightingPlayers(h.battle), w.liveCount,
      { hash, teams: h.battle.roster.teams.map((t, i) => ({ name: t.name, lost: w.stats.lost[i], reputation: t.reputation })) }, h.lastTurnMs).catch(() => undefined);
    // a snapshot is written only once the log is durable up to its turn: otherwise recovery could resume from a
    // state holding orders the log lacks (and acknowledge them)
    const log = h.log;
    const durable = log instanceof BufferedStoreLog ? log.durableThrough(turn, 30_000) : Promise.resolve(true);
    durable.then((ok) => {
      if (!ok) throw new Error('the command log did not catch up with the snapshot turn');
      return store.saveSnapshot(h.id, token, turn, hash, bytes);
    }).catch((err) => {
      if (err instanceof StaleOwnerError) h.fenced = true;
      this.o.log.warn({ sector: h.id, turn, err: String(err) }, 'snapshot not saved');
    });
  }

  private run(sector: string, battle: Battle, seed: { pending?: Command[]; recent?: string[] }): HostedSector {
    const store = this.o.store;
    const log = store ? new BufferedStoreLog(store, sector, () => this.keeper.token(sector), battle.world.turn, {
      onFenced: () => { h.fenced = true; this.o.log.warn({ sector }, 'a newer owner has written: stopping'); },
      onError: (err) => this.o.log.warn({ sector, err: String(err) }, 'command log write failed; retrying'),
    }) : undefined;
    const overflow = this.o.overflow === false ? undefined : new OverflowPrimary({
      sector, self: this.o.id, battle, system: this.system, sectorActor: () => h.sector, members: () => this.o.placement.members(),
      client: (address) => this.peer(address), token: () => this.keeper.token(sector), log: this.o.log,
    }, { ...DEFAULT_OVERFLOW, ...this.o.overflow });
    const h: HostedSector = new HostedSector(sector, battle, this.system, this.keeper, seed, () => { h.endStreams(); this.sectors.delete(sector); this.system.stopActor(h.sector); }, log, (x) => this.afterTurn(x), overflow);
    this.sectors.set(sector, h);
    this.logs.set(sector, h);
    h.start();
    this.o.log.info({ sector, token: this.keeper.token(sector), turn: battle.world.turn }, 'running sector');
    return h;
  }

  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const h of this.sectors.values()) { h.phase = 'gone'; await h.loop.stop(); h.endStreams(); await this.keeper.release(h.id); }
    this.keeper.stop();
    this.replicas.stopAll();
    for (const c of this.peers.values()) c.close();
    await this.o.placement.leave(this.o.id).catch(() => undefined);
    await new Promise<void>((r) => this.server.tryShutdown(() => r()));
    this.system.shutdown();
  }

  // ───────────── RPCs ─────────────

  private readonly submit: Unary<{ sector: string; commandJson: string }, object> = (call, cb) => {
    const h = this.sectors.get(call.request.sector);
    if (!h || h.phase !== 'running') { cb(null, { queued: false, notHere: true }); return; }
    let raw: unknown;
    try { raw = JSON.parse(call.request.commandJson); } catch { cb(null, { queued: false, resultJson: JSON.stringify({ id: '', player: '', ok: false, reason: 'MALFORMED', message: 'command_json is not JSON' }) }); return; }
    const parsed = parseCommand(raw);
    if (!parsed.ok) { cb(null, { queued: false, resultJson: JSON.stringify({ id: '', player: '', ok: false, reason: parsed.reason, message: parsed.message }) }); return; }
    this.system.ask<SectorMsg, SubmitResult>(h.sector, (reply) => ({ type: 'submit', command: parsed.command, reply }), 2000).then(
      (r) => cb(null, r.queued ? { queued: true, turn: r.turn } : { queued: false, resultJson: JSON.stringify(r.result) }),
      (err) => cb({ code: grpc.status.UNAVAILABLE, message: String(err) }),
    );
  };

  private readonly subscribe = (call: grpc.ServerWritableStream<{ sector: string; fromTurn: number; epoch: number }, FrameMsg>) => {
    const h = this.sectors.get(call.request.sector);
    if (!h || h.phase !== 'running') { call.emit('error', { code: grpc.status.NOT_FOUND, details: `sector ${call.request.sector} is not on node ${this.o.id}` }); return; }
    h.addStream(call as grpc.ServerWritableStream<unknown, FrameMsg>, call.request.fromTurn, call.request.epoch);
  };

  private readonly logs = new Map<string, HostedSector>(); // sectors run here, kept for their logs after they move

  private readonly rollbackRpc: Unary<{ sector: string; turn: number }, object> = (call, cb) => {
    void this.rollback(call.request.sector, call.request.turn).then((r) => cb(null, r), (err) => cb(null, { ok: false, error: String(err) }));
  };

  /**
   * Operator rollback: stop the sector, take a new fencing token (a new epoch: gateways refuse results after the
   * turn as SECTOR_RECOVERED), discard the history after `turn` in the store, rebuild it as of `turn`, resume.
   */
  async rollback(sector: string, turn: number): Promise<{ ok: boolean; turn?: number; hash?: string; error?: string }> {
    const store = this.o.store;
    const h = this.sectors.get(sector);
    if (!store) return { ok: false, error: 'rollback needs a store (--database)' };
    if (!h || h.phase !== 'running') return { ok: false, error: `sector ${sector} is not running here` };
    if (turn >= h.battle.world.turn) return { ok: false, error: `turn ${turn} is not in the past (now ${h.battle.world.turn})` };
    h.phase = 'migrating';
    await h.loop.stop();
    if (h.log instanceof BufferedStoreLog) await h.log.flushed();
    const sent = performance.now();
    const lease = await this.o.placement.handOff(sector, this.o.id, this.keeper.token(sector), this.o.id, this.ttl);
    if (!lease) { h.phase = 'running'; h.start(); return { ok: false, error: 'could not renew the lease under a new token' }; }
    this.keeper.adopt(lease, sent);
    await store.truncateAfter(sector, lease.token, turn);
    const rec = await recoverBattle(store, sector, turn);
    if (!rec || rec.battle.world.turn !== turn) return { ok: false, error: `no verifiable state for turn ${turn}` };
    h.phase = 'gone';
    h.endStreams();
    this.sectors.delete(sector);
    this.system.stopActor(h.sector);
    await store.saveSnapshot(sector, lease.token, turn, battleHash(rec.battle), serializeBattle(rec.battle));
    this.recorders.delete(sector);
    this.run(sector, rec.battle, {});
    this.o.log.warn({ sector, turn, token: lease.token }, 'sector rolled back by an operator');
    return { ok: true, turn, hash: battleHash(rec.battle) };
  }

  private readonly commandLog: Unary<{ sector: string }, object> = (call, cb) => {
    const h = this.sectors.get(call.request.sector) ?? this.logs.get(call.request.sector);
    cb(null, { entriesJson: JSON.stringify(h ? h.log.entries() : []) });
  };

  private readonly status: Unary<object, object> = (_call, cb) => {
    cb(null, {
      node: this.o.id,
      // only sectors this node may run right now (a lost lease stops the loop before its next turn)
      sectors: [...this.sectors.values()].filter((h) => h.phase === 'running' && this.keeper.mayRun(h.id)).map((h) => ({
        sector: h.id, turn: h.battle.world.turn, players: h.battle.roster.players.length, units: h.battle.world.liveCount,
        turnMs: h.lastTurnMs, dilation: h.loop.dilation.factor, token: this.keeper.token(h.id),
        activePlayers: fightingPlayers(h.battle), overflowNodes: h.overflow?.nodes ?? [], turnMsP50: h.turnMsAt(0.5), turnMsP99: h.turnMsAt(0.99),
        overflowOrders: h.overflow?.counts.remoteOrders ?? 0, overflowFallbacks: h.overflow?.counts.fallbacks ?? 0,
      })),
      overflow: this.replicas.status(),
    });
  };

  /** Migration target: take the state, take the lease over under a new token, resume. */
  private readonly acceptSector: Unary<{ sector: string; state: Buffer; pendingJson: string; fromNode: string; token: number }, object> = (call, cb) => {
    const { sector, state, pendingJson, fromNode, token } = call.request;
    void (async () => {
      try {
        const battle = deserializeBattle(new Uint8Array(state));
        const seed = JSON.parse(pendingJson || '{}') as { pending?: Command[]; recent?: string[] };
        const sent = performance.now();
        const lease = await this.o.placement.handOff(sector, fromNode, token, this.o.id, this.ttl);
        if (!lease) { cb(null, { ok: false, error: 'lease hand-off refused: the source no longer holds it' }); return; }
        this.keeper.adopt(lease, sent);
        this.run(sector, battle, seed);
        cb(null, { ok: true, token: lease.token });
      } catch (err) {
        cb(null, { ok: false, error: String(err) });
      }
    })();
  };

  /** Migration source: stop at a turn boundary, hand the state over, let gateways follow. */
  private readonly migrateSector: Unary<{ sector: string; toNode: string }, object> = (call, cb) => {
    void this.migrate(call.request.sector, call.request.toNode).then((r) => cb(null, r), (err) => cb(null, { ok: false, error: String(err) }));
  };

  private readonly peers = new Map<string, ReturnType<typeof nodeClient>>();
  /** One channel per peer node, kept open: a migration should not wait for a TCP and HTTP/2 handshake. */
  private peer(address: string) {
    let c = this.peers.get(address);
    if (!c) this.peers.set(address, (c = nodeClient(address)));
    return c;
  }

  async migrate(sector: string, toNode: string): Promise<{ ok: boolean; turn?: number; pauseMs?: number; error?: string }> {
    const h = this.sectors.get(sector);
    if (!h || h.phase !== 'running') return { ok: false, error: `sector ${sector} is not running here` };
    const target = (await this.o.placement.members()).find((m) => m.id === toNode);
    if (!target) return { ok: false, error: `no live node ${toNode}` };
    h.phase = 'migrating'; // new orders are answered not_here: gateways retry and reach the new owner
    await h.loop.stop();
    const stoppedAt = h.lastTurnEndedAt || performance.now();
    const drained = await this.system.ask<SectorMsg, { pending: Command[]; recent: string[] }>(h.sector, (reply) => ({ type: 'drain', reply }));
    // every team home first: the target (perhaps an overflow node of this very sector) starts with none spread out
    await h.overflow?.bringHome('sector migrating');
    // everything this node logged must be stored before the target's newer token fences it out
    if (h.log instanceof BufferedStoreLog && !(await h.log.flushed())) {
      h.phase = 'running';
      h.start();
      return { ok: false, error: 'the command log could not be flushed to the store; migration abandoned' };
    }
    const state = serializeBattle(h.battle);
    const client = this.peer(target.address);
    const reply = await unaryCall<{ ok: boolean; token: number; error: string }>(client, 'acceptSector',
      { sector, state: Buffer.from(state), pendingJson: JSON.stringify(drained), fromNode: this.o.id, token: this.keeper.token(sector) }, 5000);
    if (!reply.ok) {
      h.phase = 'running'; // keep it: the target refused
      h.start();
      return { ok: false, error: reply.error };
    }
    h.phase = 'gone';
    h.endStreams(); // first: the overflow nodes' detach carries this node's fencing token, which forget() drops
    this.keeper.forget(sector);
    this.sectors.delete(sector);
    this.system.stopActor(h.sector); // its name may be needed again if the sector comes back
    return { ok: true, turn: h.battle.world.turn, pauseMs: performance.now() - stoppedAt };
  }
}
