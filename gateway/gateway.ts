// The gateway's logic, independent of the socket library: sessions, authentication, command
// validation (anti-cheat) and audit, and each turn's fan-out of culled updates. `uws-server.ts`
// binds it to uWebSockets.js; tests can drive it with any `Connection`.

import { randomUUID } from 'node:crypto';
import { parseCommand, type Command } from '../actors/model/commands.js';
import { chaosLevel } from '../actors/model/scale.js';
import type { TurnFrame } from '../actors/sector/frame.js';
import type { TokenService } from './auth/tokens.js';
import type { AuditLog } from './audit.js';
import { Close, ErrorCode, GatewayReason } from './close-codes.js';
import { decodeClient, encodeServer, type ClientMsg } from './codec.js';
import { toModelCommand } from './commands.js';
import { buildUpdate, viewerSpec } from './fanout.js';
import { INTEREST_CELL, TurnView, type VersionTables } from './interest/turn-view.js';
import { detailRadius, type ViewerRole } from './interest/view.js';
import type { SectorLink } from './link/sector-link.js';
import { Session, UPDATE_EVERY, type Connection } from './session.js';
import { TokenBucket } from './rate-limit.js';
import { buildSummary } from './spectators.js';
import { GatewayMetrics } from './metrics.js';
import { teamEvents, playerEvents } from './events.js';
import { alone, dilationField, resultField } from './along.js';

/** The turn of a ClientMessage that is only `{seq?, ack: {turn}}`, or -1 for anything else. */
export function peekAck(b: Uint8Array): number {
  // no closures here: this runs for every ack, and each closure made per call costs (tsx names every function)
  peekPos = 0;
  if (b[0] === 0x08) { peekPos = 1; if (readVarint(b) < 0) return -1; } // seq
  if (b[peekPos++] !== 0x2a) return -1; // field 5, length-delimited
  const len = readVarint(b);
  if (len < 0 || peekPos + len !== b.length) return -1;
  if (len === 0) return 0;
  if (b[peekPos++] !== 0x08) return -1;
  const turn = readVarint(b);
  return peekPos === b.length ? turn : -1;
}

let peekPos = 0;
function readVarint(b: Uint8Array): number {
  let x = 0, shift = 0;
  for (;;) {
    if (peekPos >= b.length || shift > 28) return -1;
    const c = b[peekPos++];
    x |= (c & 0x7f) << shift;
    if ((c & 0x80) === 0) return x >>> 0;
    shift += 7;
  }
}

export interface Logger {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  error(o: object, msg?: string): void;
}

export interface GatewayOptions {
  link: SectorLink;
  tokens: TokenService;
  audit: AuditLog;
  log: Logger;
  resumeGraceMs?: number;
  commandsPerSecond?: number;
  messagesPerSecond?: number;
  maxStrikes?: number;
  pastTurns?: number; // timing window: how old the client's turn may be
  futureTurns?: number;
  softBackpressureBytes?: number;
  hardBackpressureBytes?: number;
  maxBehindMs?: number;
  helloTimeoutMs?: number;
  spectatorEveryTurns?: number;
  spectatorDelayTurns?: number;
  now?: () => number;
  metrics?: GatewayMetrics;
}

export interface GatewayStats {
  sessions: number;
  connected: number;
  turns: number;
  fanoutMs: number; // cost of the last turn's fan-out
  bytesSent: number;
  messagesSent: number;
  skippedForBackpressure: number;
}

interface PendingCommand { session: Session; clientId: string; kind: string }

class PlayerLimits {
  readonly bucket: TokenBucket;
  private readonly recent = new Set<string>();
  constructor(perSecond: number, now: number) {
    this.bucket = new TokenBucket(perSecond, perSecond, now);
  }
  remember(id: string): boolean {
    if (this.recent.has(id)) return false;
    this.recent.add(id);
    if (this.recent.size > 1024) this.recent.delete(this.recent.values().next().value!);
    return true;
  }
}

export class Gateway {
  readonly sessions = new Map<string, Session>();
  private readonly byConn = new Map<Connection, Session>();
  private readonly pending = new Map<string, PendingCommand>();
  private readonly players = new Map<string, PlayerLimits>();
  private readonly held: { turn: number; r: TurnFrame['results'][number]; void: boolean }[] = []; // results waiting for their turn to be durable
  private epoch = -1;
  private tv: TurnView | null = null;
  private readonly history = new Map<number, TurnFrame>(); // spectator frames, every `spectatorEveryTurns`
  private readonly o: Required<Omit<GatewayOptions, 'link' | 'tokens' | 'audit' | 'log' | 'now' | 'metrics'>>;
  readonly metrics: GatewayMetrics;
  private readonly now: () => number;
  private readonly unsubscribe: () => void;
  private dilationBytes: Uint8Array | null = null; // this turn's dilation field, once some update carries it
  private reported = { messages: 0, bytes: 0, skipped: 0 };
  private rosterRef: unknown = null;
  private readonly versionTables: VersionTables[] = [{ versions: [], whole: [] }, { versions: [], whole: [] }]; // this turn's and the previous turn's
  private tvTables: VersionTables | null = null; // the ones `tv` uses
  private squadCache = new Map<Session, number[]>();
  readonly stats: GatewayStats = { sessions: 0, connected: 0, turns: 0, fanoutMs: 0, bytesSent: 0, messagesSent: 0, skippedForBackpressure: 0 };

  constructor(private readonly opts: GatewayOptions) {
    this.o = {
      resumeGraceMs: opts.resumeGraceMs ?? 30_000,
      commandsPerSecond: opts.commandsPerSecond ?? 10,
      messagesPerSecond: opts.messagesPerSecond ?? 60,
      maxStrikes: opts.maxStrikes ?? 5,
      pastTurns: opts.pastTurns ?? 50,
      futureTurns: opts.futureTurns ?? 5,
      softBackpressureBytes: opts.softBackpressureBytes ?? 256 * 1024,
      hardBackpressureBytes: opts.hardBackpressureBytes ?? 8 * 1024 * 1024,
      maxBehindMs: opts.maxBehindMs ?? 15_000,
      helloTimeoutMs: opts.helloTimeoutMs ?? 10_000,
      spectatorEveryTurns: opts.spectatorEveryTurns ?? 50,
      spectatorDelayTurns: opts.spectatorDelayTurns ?? 150,
    };
    this.now = opts.now ?? Date.now;
    this.metrics = opts.metrics ?? new GatewayMetrics(false);
    this.unsubscribe = opts.link.subscribe((f) => this.onFrame(f));
  }

  get resumeGraceMs(): number {
    return this.o.resumeGraceMs;
  }

  stop(): void {
    this.unsubscribe();
    for (const s of this.sessions.values()) s.conn?.close(Close.SHUTTING_DOWN, 'gateway shutting down');
    this.sessions.clear();
    this.byConn.clear();
  }

  // ───────────── connections ─────────────

  onOpen(conn: Connection): Session {
    const s = new Session(randomUUID(), conn);
    this.byConn.set(conn, s);
    setTimeout(() => {
      if (this.byConn.get(conn) === s && !s.claims) conn.close(Close.TOKEN_MISSING, 'no Hello with a token in time');
    }, this.o.helloTimeoutMs).unref();
    return s;
  }

  onClose(conn: Connection): void {
    const s = this.byConn.get(conn);
    this.byConn.delete(conn);
    if (!s || s.conn !== conn) return;
    s.conn = null;
    s.disconnectedAt = this.now();
    if (!s.joined || s.spectator) this.sessions.delete(s.id);
  }

  /** One frame from a client. Never throws: bad input gets an error or a close. */
  onMessage(conn: Connection, data: ArrayBuffer | Uint8Array, isBinary: boolean): void {
    const s = this.byConn.get(conn);
    if (!s) return;
    if (!isBinary) { this.close(s, Close.UNSUPPORTED_DATA, 'binary protobuf frames only'); return; }
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
    const ackTurn = s.claims ? peekAck(bytes) : -1;
    if (ackTurn >= 0) {
      // acks are most of the traffic (one per update, bursts when catching up): a cheap path and their own, wider limit
      if (s.acks.hit(this.now()) > 10 * this.o.messagesPerSecond) { this.close(s, Close.FLOOD, 'too many messages'); return; }
      if (ackTurn <= s.lastSentTurn && ackTurn > s.lastAckedTurn) s.lastAckedTurn = ackTurn;
      return;
    }
    if (s.messages.hit(this.now()) > this.o.messagesPerSecond) { this.close(s, Close.FLOOD, 'too many messages'); return; }
    let msg: ClientMsg;
    try {
      msg = decodeClient(bytes);
    } catch (err) {
      this.strike(s, ErrorCode.MALFORMED_FRAME, `cannot decode frame: ${(err as Error).message}`, 0);
      return;
    }
    s.queue = s.queue.then(() => this.handle(s, msg)).catch((err) => {
      this.opts.log.error({ err, session: s.id }, 'message handler failed');
      this.sendError(s, ErrorCode.MALFORMED_FRAME, 'internal error handling the message', msg.seq);
    });
  }

  private strike(s: Session, code: string, message: string, seq: number): void {
    this.sendError(s, code, message, seq);
    if (++s.strikes >= this.o.maxStrikes) this.close(s, Close.PROTOCOL_VIOLATION, 'too many malformed frames');
  }

  private send(s: Session, bytes: Uint8Array): boolean {
    if (!s.conn) return false;
    const ok = s.conn.send(bytes);
    if (ok) { this.stats.bytesSent += bytes.length; this.stats.messagesSent++; }
    return ok;
  }

  private close(s: Session, code: number, reason: string): void {
    this.metrics.closes.inc({ code: String(code) });
    s.conn?.close(code, reason);
  }

  private sendError(s: Session, code: string, message: string, seq: number): void {
    this.send(s, encodeServer({ error: { code, message, seq } }));
  }

  private async handle(s: Session, m: ClientMsg): Promise<void> {
    switch (m.body) {
      case 'hello': return this.onHello(s, m.hello!.token);
      case 'resume': return this.onResume(s, m.resume!);
      case 'ping':
        this.send(s, encodeServer({ pong: { nonce: m.ping!.nonce, clientTimeMs: m.ping!.clientTimeMs, serverTimeMs: this.now(), turn: this.tv?.frame.turn ?? 0 } }));
        return;
      default:
        if (!s.claims) { this.strike(s, ErrorCode.NOT_AUTHENTICATED, 'send Hello with a token first', m.seq); return; }
    }
    switch (m.body) {
      case 'join': return this.onJoin(s, m.join!, m.seq);
      case 'command': return this.onCommand(s, m.command!, m.seq);
      case 'ack':
        if (m.ack!.turn <= s.lastSentTurn) s.lastAckedTurn = Math.max(s.lastAckedTurn, m.ack!.turn);
        return;
      case 'view':
        if (!Number.isFinite(m.view!.x) || !Number.isFinite(m.view!.y)) { this.sendError(s, ErrorCode.BAD_VIEW, 'view must be finite coordinates', m.seq); return; }
        s.focusX = m.view!.x;
        s.focusY = m.view!.y;
        return;
      case 'comm': return this.onComm(s, m.comm!.text, m.seq);
      default:
        this.strike(s, ErrorCode.UNKNOWN_MESSAGE, 'unknown or empty message type', m.seq);
    }
  }

  private async authenticate(s: Session, token: string): Promise<boolean> {
    const check = await this.opts.tokens.verify(token);
    if (check.ok) return true;
    const code = check.code === 'TOKEN_EXPIRED' ? Close.TOKEN_EXPIRED : check.code === 'TOKEN_MISSING' ? Close.TOKEN_MISSING : Close.TOKEN_INVALID;
    this.close(s, code, check.code);
    return false;
  }

  /** Still this session's live connection (it may have closed while we awaited). */
  private live(s: Session): boolean {
    return s.conn !== null && this.byConn.get(s.conn) === s;
  }

  private async onHello(s: Session, token: string): Promise<void> {
    if (s.claims) { this.sendError(s, ErrorCode.ALREADY_AUTHENTICATED, 'already authenticated', 0); return; }
    const check = await this.opts.tokens.verify(token);
    if (!this.live(s)) return;
    if (!check.ok) { await this.authenticate(s, token); return; }
    if (check.claims.player.includes('/')) { this.close(s, Close.TOKEN_INVALID, 'player ids may not contain "/"'); return; }
    s.claims = check.claims;
    this.sessions.set(s.id, s);
  }

  private async onResume(s: Session, r: NonNullable<ClientMsg['resume']>): Promise<void> {
    const check = await this.opts.tokens.verify(r.token);
    if (!this.live(s)) return;
    if (!check.ok) { await this.authenticate(s, r.token); return; }
    const old = this.sessions.get(r.sessionId);
    const now = this.now();
    if (!old || !old.joined || old.player !== check.claims.player || (old.conn === null && now - old.disconnectedAt > this.o.resumeGraceMs)) {
      this.close(s, Close.SESSION_UNKNOWN, 'no such session to resume');
      return;
    }
    const conn = s.conn!;
    if (s !== old) this.sessions.delete(s.id); // this connection's own (Hello) session, if any, is replaced
    if (old.conn && old.conn !== conn) { this.byConn.delete(old.conn); old.conn.close(Close.TAKEN_OVER, 'session resumed elsewhere'); }
    this.byConn.set(conn, old);
    old.conn = conn;
    old.disconnectedAt = 0;
    old.claims = check.claims;
    old.behindSince = 0;
    // continue from the last acked turn with a delta when we still know what the client had then
    if (r.lastAckedTurn !== old.lastSentTurn) {
      const held = old.sentState(r.lastAckedTurn);
      if (held) { old.known = held; old.lastSentTurn = r.lastAckedTurn; } else old.needSnapshot = true;
    }
    old.lastAckedTurn = Math.min(r.lastAckedTurn, old.lastSentTurn);
    this.sendWelcome(old, true);
    // what happened meanwhile (results above all) now, not with the next update: each as its own message
    for (const field of old.along.splice(0)) this.send(old, alone(field));
  }

  // ───────────── joining ─────────────

  private async onJoin(s: Session, j: NonNullable<ClientMsg['join']>, seq: number): Promise<void> {
    if (s.joined || s.pendingJoin) { this.sendError(s, ErrorCode.ALREADY_JOINED, 'already in a battle', seq); return; }
    if (j.battleId !== this.opts.link.battleId) { this.sendError(s, ErrorCode.UNKNOWN_BATTLE, `no battle ${j.battleId} here`, seq); return; }
    const c = s.claims!;
    if (c.battle && c.battle !== j.battleId) { this.sendError(s, ErrorCode.UNKNOWN_BATTLE, `the token is for battle ${c.battle}`, seq); return; }
    if (j.spectator && !c.spectator) { this.sendError(s, ErrorCode.JOIN_REFUSED, 'a player token cannot spectate (spectators see units players may not)', seq); return; }
    if (c.spectator) {
      s.spectator = true;
      s.role = 'spectator';
      s.spectatorMode = j.mode;
      s.followPlayer = j.followPlayer;
      s.followUnit = j.followUnit;
      s.joined = true;
      this.sendWelcome(s, false);
      return;
    }
    const frame = this.opts.link.latest();
    const p = frame?.roster?.players.find((x) => x.id === c.player);
    if (p && p.status !== 'retreated') {
      const teamName = frame!.roster!.teams[p.team].name;
      if (c.team && c.team !== teamName) { this.sendError(s, ErrorCode.TEAM_MISMATCH, `${c.player} fights for ${teamName}, token says ${c.team}`, seq); return; }
      this.attach(s, frame!);
      return;
    }
    // hot join: the sector decides (tier limits, fee, deployment) on its next turn
    const id = `${c.player}/join-${randomUUID()}`;
    const cmd = {
      id, player: c.player, kind: 'join', team: c.team ?? '', role: c.role ?? 'pilot', tier: c.tier, credits: c.credits ?? 0,
      fleet: Object.fromEntries(j.fleet.map((e) => [e.unitType, e.count])),
      ...(j.captain ? { captain: j.captain } : {}), ...(j.admiral ? { admiral: j.admiral } : {}),
    };
    const parsed = parseCommand(cmd);
    if (!parsed.ok) { this.sendError(s, ErrorCode.JOIN_REFUSED, `${parsed.reason}: ${parsed.message}`, seq); return; }
    // registered before submitting: over gRPC the turn's result can beat the submit's reply
    s.pendingJoin = id;
    this.pending.set(id, { session: s, clientId: 'join', kind: 'join' });
    const r = await this.opts.link.submit(parsed.command);
    if (!r.queued) { this.pending.delete(id); s.pendingJoin = null; this.sendError(s, ErrorCode.JOIN_REFUSED, `${r.result.reason}: ${r.result.message}`, seq); }
  }

  private attach(s: Session, frame: TurnFrame): void {
    if (!s.conn) return; // gone while the sector decided: nothing to attach to
    const roster = frame.roster!;
    const p = roster.players.find((x) => x.id === s.player)!;
    s.playerIndex = roster.players.indexOf(p);
    s.team = p.team;
    s.role = p.role as ViewerRole;
    s.updateEvery = UPDATE_EVERY[s.claims!.tier] ?? 30;
    s.joined = true;
    s.needSnapshot = true;
    this.squadCache.delete(s);
    this.sendWelcome(s, false);
    if (this.tv) this.sendUpdate(s, this.tv, true);
  }

  private sendWelcome(s: Session, resumed: boolean): void {
    const f = this.opts.link.latest();
    const roster = f?.roster;
    const me = s.playerIndex >= 0 ? roster?.players[s.playerIndex] : undefined;
    const squad = me && me.squadron >= 0 ? roster!.squadrons[me.squadron] : undefined;
    const nameOf = (i: number) => (i >= 0 ? roster!.players[i].id : '');
    const supreme = me ? roster!.players.find((p) => p.team === me.team && p.role === 'supreme_commander' && p.status !== 'retreated') : undefined;
    const subordinates = me ? roster!.players.filter((p, i) => p.team === me.team && i !== s.playerIndex && this.commands(roster!, s.playerIndex, p.squadron)).map((p) => p.id) : [];
    const units = f && s.playerIndex >= 0 ? Array.from(f.id.filter((_, i) => f.owner[i] === s.playerIndex)) : [];
    const tv = this.tv;
    this.send(s, encodeServer({
      welcome: {
        sessionId: s.id, battleId: this.opts.link.battleId, playerId: s.player, team: me ? roster!.teams[me.team].name : '', role: s.role,
        tier: s.claims?.tier ?? '', turn: f?.turn ?? 0, turnsPerSecond: f?.turnsPerSecond ?? 10, width: f?.width ?? 0, height: f?.height ?? 0,
        yourUnits: units,
        chain: me ? { supremeCommander: supreme?.id ?? '', admiral: squad ? nameOf(squad.admiral) : '', captain: squad ? nameOf(squad.captain) : '', squadron: squad?.id ?? '', subordinates } : undefined,
        teams: roster?.teams.map((t, i) => ({ index: i, name: t.name, independent: t.independent, relation: me ? (i === me.team ? 'self' : ['hostile', 'allied', 'truce'][f!.relations[me.team * f!.teamCount + i]]) : '' })) ?? [],
        resumeGraceMs: this.o.resumeGraceMs, spectator: s.spectator, cellSize: INTEREST_CELL, cols: tv?.cols ?? 0,
        updateEveryTurns: s.spectator ? this.o.spectatorEveryTurns : s.updateEvery, resumed,
      },
    }));
  }

  private commands(roster: NonNullable<TurnFrame['roster']>, player: number, squadron: number): boolean {
    if (squadron < 0) return false;
    const me = roster.players[player], q = roster.squadrons[squadron];
    if (q.team !== me.team) return false;
    return me.role === 'supreme_commander' || (me.role === 'admiral' && q.admiral === player) || (me.role === 'captain' && q.captain === player);
  }

  // ───────────── commands (anti-cheat) ─────────────

  private async onCommand(s: Session, c: NonNullable<ClientMsg['command']>, seq: number): Promise<void> {
    if (this.screen(s, c) !== null) return;
    const raw = toModelCommand(s.player, c);
    if (!raw) { this.refuse(s, c, 'MALFORMED', 'the command carries no order'); return; }
    const parsed = parseCommand(raw);
    if (!parsed.ok) { this.refuse(s, c, parsed.reason, parsed.message); return; }
    this.pending.set(parsed.command.id, { session: s, clientId: c.id, kind: parsed.command.kind }); // before: see onJoin
    const r = await this.opts.link.submit(parsed.command as Command);
    if (!r.queued) { this.pending.delete(parsed.command.id); this.refuse(s, c, r.result.reason ?? 'MALFORMED', r.result.message ?? ''); }
    void seq;
  }

  /** The gateway's own checks of an order (membership, rate, id, timing window); refuses it and returns the reason, or null. */
  private screen(s: Session, c: NonNullable<ClientMsg['command']>): string | null {
    const now = this.now();
    const turn = this.tv?.frame.turn ?? 0;
    if (!s.joined) return this.refuse(s, c, GatewayReason.NOT_IN_BATTLE, 'join a battle first');
    if (s.spectator) return this.refuse(s, c, GatewayReason.SPECTATOR, 'spectators never command');
    const pl = this.playerState(s.player, now);
    if (!pl.bucket.take(now)) return this.refuse(s, c, GatewayReason.RATE_LIMITED, `at most ${this.o.commandsPerSecond} commands per second per player`);
    if (!c.id || c.id.length > 64) return this.refuse(s, c, 'MALFORMED', 'command id must be 1-64 characters');
    if (c.turn + this.o.pastTurns < turn) return this.refuse(s, c, GatewayReason.STALE, `issued at turn ${c.turn}, now ${turn}: older than ${this.o.pastTurns} turns`);
    if (c.turn > turn + this.o.futureTurns) return this.refuse(s, c, GatewayReason.FUTURE, `issued for turn ${c.turn}, now ${turn}`);
    if (!pl.remember(c.id)) return this.refuse(s, c, GatewayReason.DUPLICATE, `command ${c.id} was already received`);
    return null;
  }

  /** Answers a refused order at once (alone: it rides no update) and audits it. */
  private refuse(s: Session, c: NonNullable<ClientMsg['command']>, reason: string, message: string): string {
    const turn = this.tv?.frame.turn ?? 0;
    this.send(s, encodeServer({ result: { id: c.id, accepted: false, reason, message, turn } }));
    this.opts.audit.record({ at: this.now(), battleId: this.opts.link.battleId, player: s.player, turn, commandId: c.id, kind: c.order ?? '', accepted: false, reason, stage: 'gateway' });
    this.metrics.commands.inc({ stage: 'gateway', outcome: 'rejected', reason });
    return reason;
  }

  /** Rate limit and recent command ids per player: several connections of one player share them. */
  private playerState(player: string, now: number): PlayerLimits {
    let p = this.players.get(player);
    if (!p) this.players.set(player, (p = new PlayerLimits(this.o.commandsPerSecond, now)));
    return p;
  }

  private onComm(s: Session, text: string, seq: number): void {
    if (!s.joined || s.spectator || text.length === 0 || text.length > 200 || !this.playerState(s.player, this.now()).bucket.take(this.now())) {
      this.sendError(s, ErrorCode.COMM_REFUSED, 'squad comms: 1-200 characters, players only, within the command rate', seq);
      return;
    }
    const roster = this.opts.link.latest()?.roster;
    const me = roster?.players[s.playerIndex];
    if (!me) return;
    const bytes = encodeServer({ events: { turn: this.tv?.frame.turn ?? 0, events: [{ type: 'comm', player: s.player, text, team: roster!.teams[me.team].name }] } });
    for (const o of this.sessions.values()) {
      if (!o.joined || o.spectator || o.team !== s.team) continue;
      if (roster!.players[o.playerIndex]?.squadron !== me.squadron) continue;
      this.send(o, bytes);
    }
  }

  // ───────────── turns ─────────────

  private onFrame(f: TurnFrame): void {
    try {
      this.fanOut(f);
    } catch (err) {
      this.opts.log.error({ err, turn: f.turn }, 'fan-out failed for this turn'); // the sector keeps turning
    }
  }

  private fanOut(f: TurnFrame): void {
    const t0 = performance.now();
    const now = this.now();
    const roster = f.roster!;
    const prev = this.tv;
    const tables = this.tvTables === this.versionTables[0] ? this.versionTables[1] : this.versionTables[0]; // not the previous view's
    const tv = new TurnView(f, prev, roster.players.length, roster.squadrons.length, tables);
    prev?.detach();
    this.tv = tv;
    this.tvTables = tables;
    this.dilationBytes = null; // this turn's, encoded when some client's update needs it (a join below may)
    this.stats.turns++;
    if (roster !== this.rosterRef) { this.rosterRef = roster; this.squadCache.clear(); }

    // a new authority (the sector recovered or moved): results the old one had not made durable by the turn the new
    // one took over at were lost with it — those orders were never acknowledged; tell the clients to send them again
    if (f.epoch !== this.epoch) {
      for (const h of this.held) h.void = h.turn > f.startedAt;
      this.epoch = f.epoch;
    }
    // results of the orders the sector resolved, released once their turn is durably logged
    for (const r of f.results) this.held.push({ turn: f.turn, r, void: false });
    while (this.held.length > 0 && (this.held[0].turn <= f.durableTurn || this.held[0].void || this.held[0].turn <= f.startedAt)) {
      const { turn: resultTurn, r: kept, void: lost } = this.held.shift()!;
      const r = lost ? { ...kept, ok: false, reason: 'SECTOR_RECOVERED' as const, message: 'the sector was recovered on another node without this order: send it again' } : kept;
      const p = this.pending.get(r.id);
      if (!p) continue;
      this.pending.delete(r.id);
      this.opts.audit.record({ at: now, battleId: f.battleId, player: r.player, turn: resultTurn, commandId: p.clientId, kind: p.kind, accepted: r.ok, reason: r.reason, stage: 'sector' });
      this.metrics.commands.inc({ stage: 'sector', outcome: r.ok ? 'accepted' : 'rejected', reason: r.reason ?? '' });
      if (p.kind === 'join') {
        p.session.pendingJoin = null;
        if (r.ok) this.attach(p.session, f);
        else this.sendError(p.session, ErrorCode.JOIN_REFUSED, `${r.reason}: ${r.message}`, 0);
        continue;
      }
      // rides the client's next update (this turn's for gold; kept across a disconnect for the resume)
      p.session.along.push(resultField({ id: p.clientId, accepted: r.ok, reason: r.reason ?? '', message: r.message ?? '', turn: resultTurn }));
    }

    const active = roster.players.filter((p) => p.status !== 'retreated').length;
    const chaos = chaosLevel(active);
    const teamBlobs = new Array<Uint8Array | null | undefined>(f.teamCount).fill(undefined);
    const own = playerEvents(f);

    for (const s of this.sessions.values()) {
      if (s.conn === null) {
        if (!s.joined || now - s.disconnectedAt > this.o.resumeGraceMs) this.sessions.delete(s.id);
        continue;
      }
      if (!s.joined || s.spectator) continue;
      // events: the team's shared field plus this player's own (orders from superiors), with the next update
      let team = teamBlobs[s.team];
      if (team === undefined) teamBlobs[s.team] = team = teamEvents(f, tv, prev, s.team);
      const mine = own.size > 0 ? own.get(s.player) ?? null : null;
      // one message per client per update, and nothing at all between a silver or bronze client's updates
      if (s.needSnapshot || f.turn % s.updateEvery === 0) this.sendUpdate(s, tv, s.needSnapshot, chaos, team, mine);
      else keepForNextUpdate(s, team, mine);
    }

    // free spectators: a summary every 5 s about the battle 15 s ago
    const every = this.o.spectatorEveryTurns, delay = this.o.spectatorDelayTurns;
    if ((f.turn + delay) % every === 0) this.history.set(f.turn, f); // a frame some summary will describe
    if (f.turn % every === 0) {
      const old = this.history.get(f.turn - delay);
      for (const t of this.history.keys()) if (t <= f.turn - delay) this.history.delete(t);
      if (old) buildSummary(old, this.sessions.values(), (s, bytes) => this.send(s, bytes));
    }
    this.stats.sessions = this.sessions.size;
    this.stats.connected = this.byConn.size;
    this.stats.fanoutMs = performance.now() - t0;
    const m = this.metrics;
    m.fanout.observe(this.stats.fanoutMs / 1000);
    m.sessions.set(this.stats.sessions);
    m.connections.set(this.stats.connected);
    m.turn.set(f.turn);
    m.dilation.set(f.dilation);
    m.messagesSent.inc(this.stats.messagesSent - this.reported.messages);
    m.bytesSent.inc(this.stats.bytesSent - this.reported.bytes);
    m.skipped.inc(this.stats.skippedForBackpressure - this.reported.skipped);
    this.reported = { messages: this.stats.messagesSent, bytes: this.stats.bytesSent, skipped: this.stats.skippedForBackpressure };
  }

  private squadronsOf(s: Session, roster: NonNullable<TurnFrame['roster']>): number[] {
    let q = this.squadCache.get(s);
    if (!q) {
      q = [];
      if (s.role !== 'pilot') roster.squadrons.forEach((_, i) => { if (this.commands(roster, s.playerIndex, i)) q!.push(i); });
      this.squadCache.set(s, q);
    }
    return q;
  }

  /** Sends one update, or skips it while the client's socket is backed up (then a snapshot when it drains). */
  private sendUpdate(s: Session, tv: TurnView, snapshot: boolean, chaos = chaosLevel(tv.frame.roster!.players.length), team: Uint8Array | null = null, mine: Uint8Array | null = null): void {
    const conn = s.conn;
    if (!conn) { keepForNextUpdate(s, team, mine); return; }
    const now = this.now();
    const buffered = conn.bufferedAmount();
    if (buffered > this.o.hardBackpressureBytes) {
      keepForNextUpdate(s, team, mine); // the session may still resume
      this.close(s, Close.TOO_SLOW, 'client cannot keep up');
      return;
    }
    if (buffered > this.o.softBackpressureBytes) {
      if (s.behindSince > 0 && now - s.behindSince > this.o.maxBehindMs) { this.close(s, Close.TOO_SLOW, 'client cannot keep up'); return; }
      if (s.behindSince === 0) s.behindSince = now;
      this.stats.skippedForBackpressure++;
      keepForNextUpdate(s, team, mine);
      return;
    }
    if (s.behindSince > 0) { s.behindSince = 0; snapshot = true; } // caught up: start again from a snapshot
    const spec = viewerSpec(s, this.squadronsOf(s, tv.frame.roster!), detailRadius(s.role, chaos));
    const withAggregate = snapshot || s.updateEvery > 1 || tv.frame.turn % 10 === 0;
    const f = tv.frame;
    const dilation = Math.abs(f.dilation - s.dilationSent) >= 0.01 ? (this.dilationBytes ??= dilationField(f.dilation, f.turn)) : null;
    const u = buildUpdate(tv, s, spec, snapshot, withAggregate, now, dilation, team, mine);
    if (!this.send(s, u.bytes)) { keepForNextUpdate(s, team, mine); return; }
    if (s.along.length > 0) s.along.length = 0;
    if (dilation) s.dilationSent = f.dilation;
    s.known = u.known;
    s.needSnapshot = false;
    s.recordSent(tv.frame.turn);
  }

  /** The view the server believes this client holds: unit id → encoded entry fields (tests and audits). */
  serverView(sessionId: string): Map<number, number[]> {
    const s = this.sessions.get(sessionId);
    const out = new Map<number, number[]>();
    if (!s) return out;
    for (const v of s.known.versions) for (let i = 0; i < v.size; i++) out.set(v.id(i), [0, 1, 2, 3, 4].map((q) => v.field(i, q)));
    return out;
  }

}

/** This turn's events for a client that gets no update now: they ride its next one. */
function keepForNextUpdate(s: Session, team: Uint8Array | null | undefined, mine: Uint8Array | null): void {
  if (team) s.along.push(team);
  if (mine) s.along.push(mine);
}
