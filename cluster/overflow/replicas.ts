// The overflow replicas a node runs for other nodes' sectors, and the RPCs that drive them
// (AttachOverflow, OverflowTurn, DetachOverflow in node.proto). A call under an older fencing token than
// the replica's is refused: a stale primary cannot steer teams a newer one placed here.

import type * as grpc from '@grpc/grpc-js';
import type { ActorSystem } from '../../actors/runtime.js';
import { deserializeBattle } from '../../actors/sector/snapshot.js';
import { encodeResult, type FollowTurnMsg, type IntakeOrderMsg } from './codec.js';
import { fightingPerTeam } from './primary.js';
import { OverflowReplica, ReplicaError } from './replica.js';

type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>;
interface AttachReq { sector: string; token: number; state: Buffer; teams: number[]; standingJson: string; primary: string }
interface TurnReq { sector: string; token: number; turn: number; follow: FollowTurnMsg[]; orders: IntakeOrderMsg[]; followOnly: boolean }
interface DetachReq { sector: string; token: number }

export class OverflowReplicas {
  private readonly bySector = new Map<string, OverflowReplica>();

  constructor(private readonly system: ActorSystem, private readonly log: { info(o: object, m?: string): void; warn(o: object, m?: string): void }, private readonly idleMs: number) {}

  /** Fighting players of the teams run here (counted in this node's load). */
  players(): number {
    let n = 0;
    for (const r of this.bySector.values()) {
      const per = fightingPerTeam(r.battle);
      for (const t of r.teamIndices) n += per[t];
    }
    return n;
  }

  status() {
    return [...this.bySector.values()].map((r) => ({ sector: r.sector, primary: r.primary, teams: r.teamIndices, turn: r.battle.world.turn, orders: r.orders }));
  }

  /** Drops replicas whose primary stopped calling (it crashed, or lost the sector). */
  expire(): void {
    const now = performance.now();
    for (const [sector, r] of this.bySector) {
      if (now - r.lastCallAt < this.idleMs) continue;
      this.remove(sector);
      this.log.warn({ sector, primary: r.primary }, 'overflow replica idle: dropped');
    }
  }

  stopAll(): void {
    for (const sector of [...this.bySector.keys()]) this.remove(sector);
  }

  private remove(sector: string): void {
    this.bySector.get(sector)?.stop();
    this.bySector.delete(sector);
  }

  private readonly attachOverflow: Unary<AttachReq, object> = (call, cb) => {
    const { sector, token, state, teams, standingJson, primary } = call.request;
    try {
      const old = this.bySector.get(sector);
      if (old && old.token > token) { cb(null, { ok: false, error: `token ${token} is older than ${old.token}: a newer primary placed teams here` }); return; }
      const battle = deserializeBattle(new Uint8Array(state));
      const standing = JSON.parse(standingJson || '{}') as Record<string, string | null>;
      const replica = new OverflowReplica(sector, token, primary, battle, teams, standing, this.system);
      this.remove(sector);
      this.bySector.set(sector, replica);
      this.log.info({ sector, primary, token, teams, turn: battle.world.turn }, 'running overflow teams for a sector');
      cb(null, { ok: true, turn: battle.world.turn });
    } catch (err) {
      cb(null, { ok: false, error: `cannot attach: ${err instanceof Error ? err.message : String(err)}` });
    }
  };

  private readonly overflowTurn: Unary<TurnReq, object> = (call, cb) => {
    const { sector, token, turn, follow, orders, followOnly } = call.request;
    const r = this.bySector.get(sector);
    if (!r) { cb(null, { ok: false, error: `no overflow replica of ${sector} here` }); return; }
    if (token !== r.token) { cb(null, { ok: false, error: `token ${token} is not the replica's (${r.token})` }); return; }
    r.turn(turn, follow, orders, followOnly).then(
      (results) => cb(null, { ok: true, verdicts: results.map(encodeResult), turn: r.battle.world.turn }),
      (err: unknown) => {
        // a replica that cannot follow is worthless: drop it, the primary re-attaches from a fresh state
        if (err instanceof ReplicaError || err instanceof SyntaxError) this.remove(sector);
        this.log.warn({ sector, turn, err: String(err) }, 'overflow turn failed');
        cb(null, { ok: false, error: err instanceof Error ? err.message : String(err), turn: r.battle.world.turn });
      },
    );
  };

  private readonly detachOverflow: Unary<DetachReq, object> = (call, cb) => {
    const { sector, token } = call.request;
    const r = this.bySector.get(sector);
    if (!r) { cb(null, { ok: false, error: `no overflow replica of ${sector} here` }); return; }
    if (token < r.token) { cb(null, { ok: false, error: `token ${token} is older than ${r.token}` }); return; }
    r.standing().then(
      (standing) => { this.remove(sector); this.log.info({ sector, primary: r.primary }, 'overflow teams went home'); cb(null, { ok: true, standingJson: JSON.stringify(standing), turn: r.battle.world.turn }); },
      (err: unknown) => { this.remove(sector); cb(null, { ok: false, error: String(err) }); },
    );
  };

  readonly handlers = { attachOverflow: this.attachOverflow, overflowTurn: this.overflowTurn, detachOverflow: this.detachOverflow };
}
