// A minimal hand-rolled protobuf codec for the k6 load scripts (k6 has no protobuf library and no TextEncoder).
// It covers exactly what game-session.ts and spectators.ts send and read, with the field numbers of
// proto/sectorwars/v1/game.proto. Pure ES2020: no Node, no k6 imports (test/k6-wire.test.ts checks it against
// protobufjs).
//
// Wire types: 0 varint, 1 fixed64 (double, little-endian), 2 length-delimited (strings, messages, packed
// repeated scalars), 5 fixed32. proto3 omits fields at their default value, and so does this encoder.

// ───────────────────────────── client → server ─────────────────────────────

export type StanceName = 'AGGRESSIVE' | 'BALANCED' | 'DEFENSIVE';
export const STANCE: Record<StanceName, number> = { AGGRESSIVE: 0, BALANCED: 1, DEFENSIVE: 2 };

export type SpectatorModeName = 'WHOLE_SECTOR' | 'FOLLOW_COMMANDER' | 'FOLLOW_UNIT';
export const SPECTATOR_MODE: Record<SpectatorModeName, number> = { WHOLE_SECTOR: 0, FOLLOW_COMMANDER: 1, FOLLOW_UNIT: 2 };

/** Scope: up to 100 unit ids, or a squadron id, or the whole team. */
export interface Scope {
  units?: number[];
  squadron?: string;
  team?: boolean;
}

export type Order =
  | { kind: 'move'; scope: Scope; x: number; y: number; speed?: number }
  | { kind: 'stance'; scope: Scope; stance: StanceName }
  | { kind: 'hold'; scope: Scope };

export interface CommandMsg {
  id: string;
  turn: number;
  order: Order;
}

export interface JoinBattleMsg {
  battleId: string;
  spectator?: boolean;
  mode?: SpectatorModeName;
  followPlayer?: string;
  followUnit?: number;
}

export type ClientBody =
  | { kind: 'hello'; token: string }
  | { kind: 'join'; join: JoinBattleMsg }
  | { kind: 'command'; command: CommandMsg }
  | { kind: 'ack'; turn: number }
  | { kind: 'ping'; nonce: number; clientTimeMs: number };

// ClientMessage field numbers
const CM_SEQ = 1, CM_HELLO = 2, CM_JOIN = 3, CM_COMMAND = 4, CM_ACK = 5, CM_PING = 6;
// Command.order field numbers
const ORDER_MOVE = 10, ORDER_STANCE = 13, ORDER_HOLD = 15;

const WT_VARINT = 0, WT_FIXED64 = 1, WT_LEN = 2, WT_FIXED32 = 5;

/** Appends protobuf primitives to a growable byte buffer. */
export class Writer {
  private buf = new Uint8Array(64);
  private len = 0;
  private readonly scratch = new DataView(new ArrayBuffer(8));

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** An unsigned 32-bit varint (values are taken modulo 2^32). */
  uint32(v: number): this {
    let n = v >>> 0;
    this.reserve(5);
    while (n > 0x7f) {
      this.buf[this.len++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.len++] = n;
    return this;
  }

  /** A zigzag-encoded signed 32-bit varint (sint32). */
  sint32(v: number): this {
    return this.uint32(zigzagEncode32(v));
  }

  bool(v: boolean): this {
    return this.uint32(v ? 1 : 0);
  }

  /** A double as 8 little-endian bytes (wire type 1). */
  double(v: number): this {
    this.scratch.setFloat64(0, v, true);
    this.reserve(8);
    for (let i = 0; i < 8; i++) this.buf[this.len++] = this.scratch.getUint8(i);
    return this;
  }

  bytes(b: Uint8Array): this {
    this.uint32(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  string(s: string): this {
    return this.bytes(utf8Encode(s));
  }

  tag(field: number, wireType: number): this {
    return this.uint32(((field << 3) | wireType) >>> 0);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function nested(w: Writer, field: number, body: (w: Writer) => void): void {
  const inner = new Writer();
  body(inner);
  w.tag(field, WT_LEN).bytes(inner.finish());
}

// proto3 implicit presence: a field at its default value is not written.
function putUint32(w: Writer, field: number, v: number | undefined): void {
  if (v !== undefined && v >>> 0 !== 0) w.tag(field, WT_VARINT).uint32(v);
}
function putBool(w: Writer, field: number, v: boolean | undefined): void {
  if (v) w.tag(field, WT_VARINT).bool(true);
}
function putDouble(w: Writer, field: number, v: number | undefined): void {
  if (v !== undefined && (v !== 0 || Object.is(v, -0))) w.tag(field, WT_FIXED64).double(v);
}
function putString(w: Writer, field: number, v: string | undefined): void {
  if (v !== undefined && v !== '') w.tag(field, WT_LEN).string(v);
}

function writeScope(w: Writer, s: Scope): void {
  if (s.units && s.units.length > 0) {
    // repeated uint32 units = 1, packed (the proto3 default)
    const packed = new Writer();
    for (const u of s.units) packed.uint32(u);
    w.tag(1, WT_LEN).bytes(packed.finish());
  }
  putString(w, 2, s.squadron);
  putBool(w, 3, s.team);
}

function writeOrder(w: Writer, o: Order): void {
  switch (o.kind) {
    case 'move':
      nested(w, ORDER_MOVE, (m) => {
        nested(m, 1, (s) => writeScope(s, o.scope));
        putDouble(m, 2, o.x);
        putDouble(m, 3, o.y);
        putDouble(m, 4, o.speed);
      });
      return;
    case 'stance':
      nested(w, ORDER_STANCE, (m) => {
        nested(m, 1, (s) => writeScope(s, o.scope));
        putUint32(m, 2, STANCE[o.stance]);
      });
      return;
    case 'hold':
      nested(w, ORDER_HOLD, (m) => nested(m, 1, (s) => writeScope(s, o.scope)));
      return;
  }
}

/** One ClientMessage frame: `seq` and exactly one body. */
export function encodeClientMessage(seq: number, body: ClientBody): Uint8Array {
  const w = new Writer();
  putUint32(w, CM_SEQ, seq);
  switch (body.kind) {
    case 'hello':
      nested(w, CM_HELLO, (m) => putString(m, 1, body.token));
      break;
    case 'join':
      nested(w, CM_JOIN, (m) => {
        putString(m, 1, body.join.battleId);
        putBool(m, 2, body.join.spectator);
        putUint32(m, 3, body.join.mode === undefined ? undefined : SPECTATOR_MODE[body.join.mode]);
        putString(m, 4, body.join.followPlayer);
        putUint32(m, 5, body.join.followUnit);
      });
      break;
    case 'command':
      nested(w, CM_COMMAND, (m) => {
        putString(m, 1, body.command.id);
        putUint32(m, 2, body.command.turn);
        writeOrder(m, body.command.order);
      });
      break;
    case 'ack':
      nested(w, CM_ACK, (m) => putUint32(m, 1, body.turn));
      break;
    case 'ping':
      nested(w, CM_PING, (m) => {
        putUint32(m, 1, body.nonce);
        putDouble(m, 2, body.clientTimeMs);
      });
      break;
  }
  return w.finish();
}

/** An ArrayBuffer holding exactly these bytes (k6's socket.sendBinary takes an ArrayBuffer). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
}

// ───────────────────────────── server → client ─────────────────────────────

export interface WelcomeMsg {
  kind: 'welcome';
  sessionId: string;
  battleId: string;
  playerId: string;
  team: string;
  role: string;
  turn: number;
  turnsPerSecond: number;
  yourUnits: number[];
  spectator: boolean;
}

/** A command's result: alone (after a resume) or riding a snapshot or delta (field 9). */
export interface ResultMsg { kind: 'result'; id: string; accepted: boolean; reason: string; turn: number }

export type ServerMsg =
  | WelcomeMsg
  | { kind: 'snapshot'; turn: number; serverTimeMs: number; results: ResultMsg[] }
  | { kind: 'delta'; baseTurn: number; turn: number; serverTimeMs: number; results: ResultMsg[] }
  | ResultMsg
  | { kind: 'events'; turn: number }
  | { kind: 'dilation'; factor: number; turn: number }
  | { kind: 'error'; code: string; message: string; seq: number }
  | { kind: 'pong'; nonce: number; clientTimeMs: number; serverTimeMs: number; turn: number }
  | { kind: 'summary'; turn: number; unitsPerTeam: number[]; lossesPerTeam: number[]; scale: string }
  | { kind: 'empty' };

export class WireError extends Error {}

/** Reads protobuf primitives from a byte range. Throws WireError on truncated or malformed input. */
export class Reader {
  pos: number;
  readonly end: number;
  private readonly buf: Uint8Array;
  private readonly view: DataView;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** A varint's low 32 bits as an unsigned number (longer varints, e.g. negative int32s, are consumed whole). */
  uint32(): number {
    let value = 0;
    let mult = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new WireError('truncated varint');
      const b = this.buf[this.pos++];
      if (i < 5) value += (b & 0x7f) * mult; // at most 35 bits: exact in a double
      mult *= 128;
      if (b < 0x80) return value % 4294967296;
    }
    throw new WireError('varint longer than 10 bytes');
  }

  sint32(): number {
    return zigzagDecode32(this.uint32());
  }

  bool(): boolean {
    return this.uint32() !== 0;
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new WireError('truncated double');
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A length-delimited field's [start, end) range; the reader moves past it. */
  span(): [number, number] {
    const len = this.uint32();
    const start = this.pos;
    if (start + len > this.end) throw new WireError('length-delimited field runs past the end');
    this.pos += len;
    return [start, start + len];
  }

  string(): string {
    const [s, e] = this.span();
    return utf8Decode(this.buf.subarray(s, e));
  }

  sub(): Reader {
    const [s, e] = this.span();
    return new Reader(this.buf, s, e);
  }

  /** A repeated uint32 field, packed (wire type 2) or not (wire type 0), appended to `into`. */
  repeatedUint32(wireType: number, into: number[]): void {
    if (wireType === WT_VARINT) {
      into.push(this.uint32());
      return;
    }
    if (wireType !== WT_LEN) throw new WireError(`repeated uint32 with wire type ${wireType}`);
    const inner = this.sub();
    while (!inner.done) into.push(inner.uint32());
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WT_VARINT: this.uint32(); return;
      case WT_FIXED64: this.advance(8); return;
      case WT_LEN: this.span(); return;
      case WT_FIXED32: this.advance(4); return;
      default: throw new WireError(`unsupported wire type ${wireType}`);
    }
  }

  /** The next field's number and wire type. */
  tag(): [field: number, wireType: number] {
    const t = this.uint32();
    const field = Math.floor(t / 8);
    if (field === 0) throw new WireError('field number 0');
    return [field, t & 7];
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new WireError('truncated fixed-width field');
    this.pos += n;
  }
}

/** Reads every field of a message, calling `on` for each; `on` returns false to have the field skipped. */
function fields(r: Reader, on: (field: number, wireType: number) => boolean): void {
  while (!r.done) {
    const [field, wt] = r.tag();
    if (!on(field, wt)) r.skip(wt);
  }
}

function expectWire(actual: number, wanted: number, what: string): void {
  if (actual !== wanted) throw new WireError(`${what}: wire type ${actual}, expected ${wanted}`);
}

function readWelcome(r: Reader): WelcomeMsg {
  const m: WelcomeMsg = { kind: 'welcome', sessionId: '', battleId: '', playerId: '', team: '', role: '', turn: 0, turnsPerSecond: 0, yourUnits: [], spectator: false };
  fields(r, (f, wt) => {
    switch (f) {
      case 1: expectWire(wt, WT_LEN, 'Welcome.session_id'); m.sessionId = r.string(); return true;
      case 2: expectWire(wt, WT_LEN, 'Welcome.battle_id'); m.battleId = r.string(); return true;
      case 3: expectWire(wt, WT_LEN, 'Welcome.player_id'); m.playerId = r.string(); return true;
      case 4: expectWire(wt, WT_LEN, 'Welcome.team'); m.team = r.string(); return true;
      case 5: expectWire(wt, WT_LEN, 'Welcome.role'); m.role = r.string(); return true;
      case 7: expectWire(wt, WT_VARINT, 'Welcome.turn'); m.turn = r.uint32(); return true;
      case 8: expectWire(wt, WT_VARINT, 'Welcome.turns_per_second'); m.turnsPerSecond = r.uint32(); return true;
      case 11: r.repeatedUint32(wt, m.yourUnits); return true;
      case 15: expectWire(wt, WT_VARINT, 'Welcome.spectator'); m.spectator = r.bool(); return true;
      default: return false;
    }
  });
  return m;
}

/** Snapshot (turn 1, server_time_ms 4) and Delta (base_turn 1, turn 2, server_time_ms 6); both carry results in field 9. */
function readTurnMessage(r: Reader, kind: 'snapshot' | 'delta'): ServerMsg {
  let baseTurn = 0, turn = 0, serverTimeMs = 0;
  const results: ResultMsg[] = [];
  const turnField = kind === 'snapshot' ? 1 : 2;
  const timeField = kind === 'snapshot' ? 4 : 6;
  fields(r, (f, wt) => {
    if (f === turnField) { expectWire(wt, WT_VARINT, `${kind}.turn`); turn = r.uint32(); return true; }
    if (f === timeField) { expectWire(wt, WT_FIXED64, `${kind}.server_time_ms`); serverTimeMs = r.double(); return true; }
    if (kind === 'delta' && f === 1) { expectWire(wt, WT_VARINT, 'delta.base_turn'); baseTurn = r.uint32(); return true; }
    if (f === 9) { expectWire(wt, WT_LEN, `${kind}.results`); results.push(readResult(r.sub())); return true; }
    return false;
  });
  return kind === 'snapshot' ? { kind, turn, serverTimeMs, results } : { kind, baseTurn, turn, serverTimeMs, results };
}

function readResult(r: Reader): ResultMsg {
  const m = { kind: 'result' as const, id: '', accepted: false, reason: '', turn: 0 };
  fields(r, (f, wt) => {
    switch (f) {
      case 1: expectWire(wt, WT_LEN, 'CommandResult.id'); m.id = r.string(); return true;
      case 2: expectWire(wt, WT_VARINT, 'CommandResult.accepted'); m.accepted = r.bool(); return true;
      case 3: expectWire(wt, WT_LEN, 'CommandResult.reason'); m.reason = r.string(); return true;
      case 5: expectWire(wt, WT_VARINT, 'CommandResult.turn'); m.turn = r.uint32(); return true;
      default: return false;
    }
  });
  return m;
}

function readError(r: Reader): ServerMsg {
  const m = { kind: 'error' as const, code: '', message: '', seq: 0 };
  fields(r, (f, wt) => {
    switch (f) {
      case 1: expectWire(wt, WT_LEN, 'Error.code'); m.code = r.string(); return true;
      case 2: expectWire(wt, WT_LEN, 'Error.message'); m.message = r.string(); return true;
      case 3: expectWire(wt, WT_VARINT, 'Error.seq'); m.seq = r.uint32(); return true;
      default: return false;
    }
  });
  return m;
}

function readPong(r: Reader): ServerMsg {
  const m = { kind: 'pong' as const, nonce: 0, clientTimeMs: 0, serverTimeMs: 0, turn: 0 };
  fields(r, (f, wt) => {
    switch (f) {
      case 1: expectWire(wt, WT_VARINT, 'Pong.nonce'); m.nonce = r.uint32(); return true;
      case 2: expectWire(wt, WT_FIXED64, 'Pong.client_time_ms'); m.clientTimeMs = r.double(); return true;
      case 3: expectWire(wt, WT_FIXED64, 'Pong.server_time_ms'); m.serverTimeMs = r.double(); return true;
      case 4: expectWire(wt, WT_VARINT, 'Pong.turn'); m.turn = r.uint32(); return true;
      default: return false;
    }
  });
  return m;
}

function readSummary(r: Reader): ServerMsg {
  const m = { kind: 'summary' as const, turn: 0, unitsPerTeam: [] as number[], lossesPerTeam: [] as number[], scale: '' };
  fields(r, (f, wt) => {
    switch (f) {
      case 1: expectWire(wt, WT_VARINT, 'Summary.turn'); m.turn = r.uint32(); return true;
      case 2: r.repeatedUint32(wt, m.unitsPerTeam); return true;
      case 3: r.repeatedUint32(wt, m.lossesPerTeam); return true;
      case 6: expectWire(wt, WT_LEN, 'Summary.scale'); m.scale = r.string(); return true;
      default: return false;
    }
  });
  return m;
}

function readTurnOnly(r: Reader, turnField: number): number {
  let turn = 0;
  fields(r, (f, wt) => {
    if (f !== turnField) return false;
    expectWire(wt, WT_VARINT, 'turn');
    turn = r.uint32();
    return true;
  });
  return turn;
}

function readDilation(r: Reader): ServerMsg {
  const m = { kind: 'dilation' as const, factor: 0, turn: 0 };
  fields(r, (f, wt) => {
    if (f === 1) { expectWire(wt, WT_FIXED64, 'TimeDilation.factor'); m.factor = r.double(); return true; }
    if (f === 2) { expectWire(wt, WT_VARINT, 'TimeDilation.turn'); m.turn = r.uint32(); return true; }
    return false;
  });
  return m;
}

/**
 * Decodes the parts of one ServerMessage frame the load scripts use. The body is the oneof's last member on the
 * wire (protobuf semantics); unknown fields are skipped. Throws WireError on malformed input.
 */
export function decodeServerMessage(frame: ArrayBuffer | Uint8Array): ServerMsg {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  const r = new Reader(bytes);
  let msg: ServerMsg = { kind: 'empty' };
  fields(r, (f, wt) => {
    if (f < 1 || f > 9) return false;
    expectWire(wt, WT_LEN, `ServerMessage field ${f}`);
    const sub = r.sub();
    switch (f) {
      case 1: msg = readWelcome(sub); break;
      case 2: msg = readTurnMessage(sub, 'snapshot'); break;
      case 3: msg = readTurnMessage(sub, 'delta'); break;
      case 4: msg = readResult(sub); break;
      case 5: msg = { kind: 'events', turn: readTurnOnly(sub, 1) }; break;
      case 6: msg = readDilation(sub); break;
      case 7: msg = readError(sub); break;
      case 8: msg = readPong(sub); break;
      case 9: msg = readSummary(sub); break;
    }
    return true;
  });
  return msg;
}

// ───────────────────────────── helpers ─────────────────────────────

export function zigzagEncode32(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}

export function zigzagDecode32(n: number): number {
  return (n >>> 1) ^ -(n & 1);
}

/** UTF-8 bytes of a JS string (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

/** A JS string from UTF-8 bytes (malformed sequences become U+FFFD). */
export function utf8Decode(b: Uint8Array): string {
  let s = '';
  let i = 0;
  const cont = (k: number) => k < b.length && (b[k] & 0xc0) === 0x80;
  while (i < b.length) {
    const c = b[i];
    let cp = 0xfffd;
    let n = 1;
    if (c < 0x80) cp = c;
    else if (c >= 0xc2 && c < 0xe0 && cont(i + 1)) { cp = ((c & 0x1f) << 6) | (b[i + 1] & 0x3f); n = 2; }
    else if (c >= 0xe0 && c < 0xf0 && cont(i + 1) && cont(i + 2)) {
      const v = ((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
      if (v >= 0x800 && (v < 0xd800 || v > 0xdfff)) { cp = v; n = 3; }
    } else if (c >= 0xf0 && c < 0xf5 && cont(i + 1) && cont(i + 2) && cont(i + 3)) {
      const v = ((c & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f);
      if (v >= 0x10000 && v <= 0x10ffff) { cp = v; n = 4; }
    }
    s += String.fromCodePoint(cp);
    i += n;
  }
  return s;
}

// The client's pacing, shared by the k6 scenarios and the Node load driver (this file has no k6 imports).

/** A client acks its resume point after a snapshot, then at most once a second (docs/protocol.md). */
export class AckPacer {
  private lastAt = 0;
  due(kind: 'snapshot' | 'delta'): boolean {
    const now = Date.now();
    if (kind !== 'snapshot' && now - this.lastAt < 1000) return false;
    this.lastAt = now;
    return true;
  }
}
