// The k6 scripts' hand-rolled protobuf codec (load/k6/wire.ts) against protobufjs and the real .proto.

import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { peek } from '../load/wire-peek.js';
import { describe, expect, it } from 'vitest';
import {
  Reader, WireError, Writer, decodeServerMessage, encodeClientMessage, toArrayBuffer, utf8Decode, utf8Encode,
  zigzagDecode32, zigzagEncode32, type ClientBody,
} from '../load/k6/wire.ts';

const root = protobuf.loadSync(fileURLToPath(new URL('../proto/sectorwars/v1/game.proto', import.meta.url)));
const ClientMessage = root.lookupType('sectorwars.v1.ClientMessage');
const ServerMessage = root.lookupType('sectorwars.v1.ServerMessage');
const UnitState = root.lookupType('sectorwars.v1.UnitState');

const toObj = { longs: Number, enums: String, oneofs: true, arrays: false, defaults: false };
/** wire.ts bytes → protobufjs plain object. */
const pbDecode = (bytes: Uint8Array) => ClientMessage.toObject(ClientMessage.decode(bytes), toObj);
/** protobufjs bytes for a ServerMessage plain object. */
const pbServer = (obj: Record<string, unknown>) => ServerMessage.encode(ServerMessage.fromObject(obj)).finish();

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('wire.ts encoder, decoded by protobufjs', () => {
  const cases: Array<[string, number, ClientBody, Record<string, unknown>]> = [
    ['hello (non-ASCII token)', 1, { kind: 'hello', token: 'eyJ.abc.def-ü€😀' }, { seq: 1, body: 'hello', hello: { token: 'eyJ.abc.def-ü€😀' } }],
    ['join as a player', 2, { kind: 'join', join: { battleId: 'battle-7' } }, { seq: 2, body: 'join', join: { battleId: 'battle-7' } }],
    ['join as a spectator following a unit', 3,
      { kind: 'join', join: { battleId: 'b', spectator: true, mode: 'FOLLOW_UNIT', followUnit: 0x80000001 } },
      { seq: 3, body: 'join', join: { battleId: 'b', spectator: true, mode: 'FOLLOW_UNIT', followUnit: 0x80000001 } }],
    ['join following a commander', 4,
      { kind: 'join', join: { battleId: 'b', spectator: true, mode: 'FOLLOW_COMMANDER', followPlayer: 'p-1' } },
      { seq: 4, body: 'join', join: { battleId: 'b', spectator: true, mode: 'FOLLOW_COMMANDER', followPlayer: 'p-1' } }],
    ['move with units, fractional and negative coordinates, speed', 0xffffffff,
      { kind: 'command', command: { id: 'vu1-c1', turn: 1234, order: { kind: 'move', scope: { units: [1, 127, 128, 16384, 0x7fffffff, 0xfffffffe] }, x: -12.5, y: 3999.75, speed: 0.5 } } },
      { seq: 0xffffffff, body: 'command', command: { id: 'vu1-c1', turn: 1234, order: 'move', move: { scope: { units: [1, 127, 128, 16384, 0x7fffffff, 0xfffffffe] }, x: -12.5, y: 3999.75, speed: 0.5 } } }],
    ['stance DEFENSIVE over a squadron', 5,
      { kind: 'command', command: { id: 'c2', turn: 9, order: { kind: 'stance', scope: { squadron: 'sq-p-1' }, stance: 'DEFENSIVE' } } },
      { seq: 5, body: 'command', command: { id: 'c2', turn: 9, order: 'stance', stance: { scope: { squadron: 'sq-p-1' }, stance: 'DEFENSIVE' } } }],
    ['stance BALANCED over units', 6,
      { kind: 'command', command: { id: 'c3', turn: 10, order: { kind: 'stance', scope: { units: [4, 5] }, stance: 'BALANCED' } } },
      { seq: 6, body: 'command', command: { id: 'c3', turn: 10, order: 'stance', stance: { scope: { units: [4, 5] }, stance: 'BALANCED' } } }],
    ['hold for the whole team', 7,
      { kind: 'command', command: { id: 'c4', turn: 11, order: { kind: 'hold', scope: { team: true } } } },
      { seq: 7, body: 'command', command: { id: 'c4', turn: 11, order: 'hold', hold: { scope: { team: true } } } }],
    ['ack', 8, { kind: 'ack', turn: 300_000 }, { seq: 8, body: 'ack', ack: { turn: 300_000 } }],
    ['ping with a wall-clock time', 9, { kind: 'ping', nonce: 42, clientTimeMs: 1_767_225_600_123.5 },
      { seq: 9, body: 'ping', ping: { nonce: 42, clientTimeMs: 1_767_225_600_123.5 } }],
  ];

  for (const [name, seq, body, expected] of cases) {
    it(name, () => {
      const bytes = encodeClientMessage(seq, body);
      expect(pbDecode(bytes)).toEqual(expected);
      // and byte for byte what protobufjs itself writes for the same fields
      const { body: _oneof, ...fields } = expected;
      expect(Buffer.from(bytes).toString('hex')).toBe(Buffer.from(ClientMessage.encode(ClientMessage.fromObject(fields)).finish()).toString('hex'));
    });
  }

  it('keeps the oneof when its message is all defaults, and omits default scalars', () => {
    expect(pbDecode(encodeClientMessage(0, { kind: 'ack', turn: 0 }))).toEqual({ body: 'ack', ack: {} });
    expect(Array.from(encodeClientMessage(0, { kind: 'ack', turn: 0 }))).toEqual([(5 << 3) | 2, 0]);
    const stance = pbDecode(encodeClientMessage(1, { kind: 'command', command: { id: 'c', turn: 0, order: { kind: 'stance', scope: { units: [3] }, stance: 'AGGRESSIVE' } } }));
    expect(stance).toEqual({ seq: 1, body: 'command', command: { id: 'c', order: 'stance', stance: { scope: { units: [3] } } } });
    const move = ClientMessage.toObject(ClientMessage.decode(encodeClientMessage(1, { kind: 'command', command: { id: 'm', turn: 2, order: { kind: 'move', scope: { units: [1] }, x: 0, y: 7 } } })), { defaults: true, oneofs: true });
    expect(move.command.move).toEqual({ scope: { units: [1], squadron: '', team: false }, x: 0, y: 7, speed: 0 });
  });

  it('round-trips random commands (fuzz against protobufjs)', () => {
    const rand = prng(99);
    for (let i = 0; i < 300; i++) {
      const units = Array.from({ length: 1 + Math.floor(rand() * 100) }, () => Math.floor(rand() * 2 ** 32));
      const x = (rand() - 0.5) * 1e6, y = rand() * 4000, turn = Math.floor(rand() * 2 ** 32), seq = Math.floor(rand() * 2 ** 20);
      const bytes = encodeClientMessage(seq, { kind: 'command', command: { id: `c${i}`, turn, order: { kind: 'move', scope: { units }, x, y } } });
      const got = ClientMessage.toObject(ClientMessage.decode(bytes), { longs: Number, defaults: true, oneofs: true });
      expect(got.seq).toBe(seq);
      expect(got.command.id).toBe(`c${i}`);
      expect(got.command.turn).toBe(turn);
      expect(got.command.move.scope.units).toEqual(units);
      expect(got.command.move.x).toBe(x);
      expect(got.command.move.y).toBe(y);
    }
  });

  it('toArrayBuffer copies exactly the message bytes', () => {
    const bytes = encodeClientMessage(3, { kind: 'hello', token: 'tok' });
    const big = new Uint8Array(bytes.length + 10);
    big.set(bytes, 5);
    const ab = toArrayBuffer(big.subarray(5, 5 + bytes.length));
    expect(ab.byteLength).toBe(bytes.length);
    expect(pbDecode(new Uint8Array(ab))).toEqual({ seq: 3, body: 'hello', hello: { token: 'tok' } });
  });
});

describe('wire.ts decoder, reading what protobufjs encoded', () => {
  it('Welcome: turn, your_units (packed), ids, spectator; nested chain/teams are skipped', () => {
    const units = [1, 2, 300, 65_536, 0x7fffffff, 0xffffffff];
    const bytes = pbServer({
      welcome: {
        sessionId: 's-1', battleId: 'battle-7', playerId: 'p-1', team: 'Alpha', role: 'captain', tier: 'gold', turn: 4321,
        turnsPerSecond: 10, width: 4000.5, height: 3000, yourUnits: units,
        chain: { supremeCommander: 'sc', admiral: 'ad', captain: 'p-1', squadron: 'sq-p-1', subordinates: ['a', 'b'] },
        teams: [{ index: 0, name: 'Alpha', relation: 'self' }, { index: 1, name: 'Beta', independent: true, relation: 'hostile' }],
        resumeGraceMs: 30_000, spectator: false, cellSize: 250, cols: 16, updateEveryTurns: 1, resumed: true,
      },
    });
    expect(decodeServerMessage(bytes)).toEqual({
      kind: 'welcome', sessionId: 's-1', battleId: 'battle-7', playerId: 'p-1', team: 'Alpha', role: 'captain', turn: 4321,
      turnsPerSecond: 10, yourUnits: units, spectator: false,
    });
    expect(decodeServerMessage(pbServer({ welcome: { spectator: true, battleId: 'b' } }))).toMatchObject({ kind: 'welcome', spectator: true, yourUnits: [], turn: 0 });
  });

  it('Welcome.your_units written unpacked (one varint field per unit) decodes the same', () => {
    const w = protobuf.Writer.create();
    w.uint32((7 << 3) | 0).uint32(88);
    for (const u of [5, 6, 0xfffffff0]) w.uint32((11 << 3) | 0).uint32(u);
    w.uint32((11 << 3) | 2).fork().uint32(7).uint32(8).ldelim(); // mixed packed and unpacked
    const welcome = w.finish();
    const frame = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(welcome).finish();
    expect(ServerMessage.toObject(ServerMessage.decode(frame), { longs: Number }).welcome.yourUnits).toEqual([5, 6, 0xfffffff0, 7, 8]);
    expect(decodeServerMessage(frame)).toMatchObject({ kind: 'welcome', turn: 88, yourUnits: [5, 6, 0xfffffff0, 7, 8] });
  });

  it('Snapshot and Delta: turn and server_time_ms, with cells and aggregate skipped', () => {
    const cells = [{ cell: 3, full: true, upserts: [{ id: 9, type: 2, team: 1, x: -40, y: 17, hull: 100, shield: 5, flags: 4 }], removed: [1, 2], lod: 0 }];
    const aggregate = { blockSize: 500, cols: 8, rows: 8, teams: 4, counts: [1, 2, 3, 4] };
    const t = 1_767_225_600_000.25;
    expect(decodeServerMessage(pbServer({ snapshot: { turn: 77, cells, aggregate, serverTimeMs: t, stateHash: '0123456789abcdef' } })))
      .toEqual({ kind: 'snapshot', turn: 77, serverTimeMs: t, results: [] });
    expect(decodeServerMessage(pbServer({ delta: { baseTurn: 76, turn: 78, cells, droppedCells: [4, 5], aggregate, serverTimeMs: t + 100, stateHash: 'ff' } })))
      .toEqual({ kind: 'delta', baseTurn: 76, turn: 78, serverTimeMs: t + 100, results: [] });
  });

  it('CommandResult accepted and rejected', () => {
    expect(decodeServerMessage(pbServer({ result: { id: 'c1', accepted: true, turn: 12 } }))).toEqual({ kind: 'result', id: 'c1', accepted: true, reason: '', turn: 12 });
    expect(decodeServerMessage(pbServer({ result: { id: 'c2', accepted: false, reason: 'NOT_YOUR_UNIT', message: 'unit 4 is not yours', turn: 13 } })))
      .toEqual({ kind: 'result', id: 'c2', accepted: false, reason: 'NOT_YOUR_UNIT', turn: 13 });
  });

  it('Pong, Error, Summary, Events, TimeDilation', () => {
    expect(decodeServerMessage(pbServer({ pong: { nonce: 5, clientTimeMs: 1000.5, serverTimeMs: 1003.25, turn: 9 } })))
      .toEqual({ kind: 'pong', nonce: 5, clientTimeMs: 1000.5, serverTimeMs: 1003.25, turn: 9 });
    expect(decodeServerMessage(pbServer({ error: { code: 'NOT_JOINED', message: 'join first', seq: 3 } })))
      .toEqual({ kind: 'error', code: 'NOT_JOINED', message: 'join first', seq: 3 });
    expect(decodeServerMessage(pbServer({
      summary: { turn: 150, unitsPerTeam: [100, 0, 2500], lossesPerTeam: [3, 400, 0], aggregate: { blockSize: 1, counts: [1] }, cells: [{ cell: 1, full: true }], scale: 'massive' },
    }))).toEqual({ kind: 'summary', turn: 150, unitsPerTeam: [100, 0, 2500], lossesPerTeam: [3, 400, 0], scale: 'massive' });
    expect(decodeServerMessage(pbServer({ events: { turn: 44, events: [{ type: 'destroyed', unit: 3, other: 4 }] } }))).toEqual({ kind: 'events', turn: 44 });
    expect(decodeServerMessage(pbServer({ dilation: { factor: 0.25, turn: 60 } }))).toEqual({ kind: 'dilation', factor: 0.25, turn: 60 });
  });

  it('results riding a snapshot or delta (field 9), and a result alone', () => {
    const results = [{ id: 'c1', accepted: true, turn: 12 }, { id: 'c2', accepted: false, reason: 'NOT_OWNER', message: 'not yours', turn: 12 }];
    const events = [{ turn: 12, events: [{ type: 'destroyed', unit: 3 }] }];
    expect(decodeServerMessage(pbServer({ delta: { baseTurn: 11, turn: 12, serverTimeMs: 5, events, results, dilation: { factor: 0.5, turn: 12 } } }))).toEqual({
      kind: 'delta', baseTurn: 11, turn: 12, serverTimeMs: 5,
      results: [{ kind: 'result', id: 'c1', accepted: true, reason: '', turn: 12 }, { kind: 'result', id: 'c2', accepted: false, reason: 'NOT_OWNER', turn: 12 }],
    });
    expect(decodeServerMessage(pbServer({ snapshot: { turn: 12, results: [results[1]] } }))).toMatchObject({ kind: 'snapshot', results: [{ id: 'c2', accepted: false, reason: 'NOT_OWNER' }] });
    expect(decodeServerMessage(pbServer({ result: results[0] }))).toEqual({ kind: 'result', id: 'c1', accepted: true, reason: '', turn: 12 });
  });

  it('the Node load driver\'s peek reads the same: turn, send time and results, riding or alone', () => {
    const results = [{ id: 'c1', accepted: true, turn: 12 }, { id: 'c2', accepted: false, reason: 'NOT_OWNER', message: 'not yours', turn: 12 }];
    const d = peek(pbServer({ delta: { baseTurn: 11, turn: 12, serverTimeMs: 5.5, cells: [{ cell: 3, full: true }], events: [{ turn: 12, events: [{ type: 'destroyed', unit: 3 }] }], results } }));
    expect(d).toEqual({ kind: 3, turn: 12, serverTimeMs: 5.5, results: [{ accepted: true, reason: '' }, { accepted: false, reason: 'NOT_OWNER' }] });
    expect(peek(pbServer({ snapshot: { turn: 7, serverTimeMs: 2, results: [results[1]] } }))).toEqual({ kind: 2, turn: 7, serverTimeMs: 2, results: [{ accepted: false, reason: 'NOT_OWNER' }] });
    expect(peek(pbServer({ delta: { turn: 8 } })).results).toBeUndefined();
    expect(peek(pbServer({ result: results[1] }))).toMatchObject({ kind: 4, results: [{ accepted: false, reason: 'NOT_OWNER' }] });
  });

  it('an empty message and an empty oneof member', () => {
    expect(decodeServerMessage(new Uint8Array(0))).toEqual({ kind: 'empty' });
    expect(decodeServerMessage(pbServer({ delta: {} }))).toEqual({ kind: 'delta', baseTurn: 0, turn: 0, serverTimeMs: 0, results: [] });
  });

  it('accepts an ArrayBuffer (as k6 delivers binary frames) and a Uint8Array view with an offset', () => {
    const bytes = pbServer({ delta: { turn: 5, serverTimeMs: 12 } });
    expect(decodeServerMessage(toArrayBuffer(bytes))).toEqual({ kind: 'delta', baseTurn: 0, turn: 5, serverTimeMs: 12, results: [] });
    const padded = new Uint8Array(bytes.length + 7);
    padded.set(bytes, 3);
    expect(decodeServerMessage(padded.subarray(3, 3 + bytes.length))).toEqual({ kind: 'delta', baseTurn: 0, turn: 5, serverTimeMs: 12, results: [] });
  });

  it('skips unknown fields of every wire type, in the envelope and inside messages', () => {
    const inner = protobuf.Writer.create()
      .uint32((50 << 3) | 0).uint64(2 ** 40)
      .uint32((51 << 3) | 1).double(1.5)
      .uint32((52 << 3) | 2).string('future field')
      .uint32((53 << 3) | 5).fixed32(7)
      .uint32((2 << 3) | 0).uint32(901)
      .uint32((6 << 3) | 1).double(123.5)
      .uint32((1 << 3) | 0).int32(-1) // base_turn written as a 10-byte varint: only the low 32 bits count
      .finish();
    const frame = protobuf.Writer.create()
      .uint32((99 << 3) | 2).string('unknown envelope field')
      .uint32((3 << 3) | 2).bytes(inner)
      .uint32((100 << 3) | 0).uint32(1)
      .finish();
    expect(decodeServerMessage(frame)).toEqual({ kind: 'delta', baseTurn: 0xffffffff, turn: 901, serverTimeMs: 123.5, results: [] });
  });

  it('the last oneof member on the wire wins (protobuf semantics)', () => {
    const a = pbServer({ pong: { nonce: 1 } });
    const b = pbServer({ delta: { turn: 3 } });
    expect(decodeServerMessage(new Uint8Array([...a, ...b]))).toMatchObject({ kind: 'delta', turn: 3 });
    expect(decodeServerMessage(new Uint8Array([...b, ...a]))).toMatchObject({ kind: 'pong', nonce: 1 });
  });

  it('throws WireError on truncated or malformed frames, never anything else', () => {
    const good = pbServer({ welcome: { sessionId: 's', turn: 7, yourUnits: [1, 2, 3, 400_000] } });
    for (let cut = 1; cut < good.length; cut++) {
      expect(() => decodeServerMessage(good.subarray(0, cut)), `cut at ${cut}`).toThrow(WireError);
    }
    const bad = [
      [0x80], // truncated varint
      [0x0a, 0x05, 0x01], // length past the end
      [(3 << 3) | 0, 1], // delta with the wrong wire type
      [(3 << 3) | 2, 2, (2 << 3) | 2, 0], // delta.turn as a length-delimited field
      [(3 << 3) | 2, 2, (6 << 3) | 0, 1], // delta.server_time_ms as a varint
      [(3 << 3) | 2, 3, (6 << 3) | 1, 0, 0], // truncated double
      [0x0b], // group start (wire type 3)
      [0x00, 0x00], // field number 0
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // varint of 11 bytes
    ];
    for (const b of bad) expect(() => decodeServerMessage(new Uint8Array(b)), JSON.stringify(b)).toThrow(WireError);
  });
});

describe('wire.ts primitives', () => {
  const edge = [0, 1, -1, 2, -2, 63, -64, 64, -65, 1000, -1000, 2 ** 31 - 1, -(2 ** 31), 123_456_789, -987_654_321];

  it('zigzag sint32 matches protobufjs byte for byte and round-trips', () => {
    const rand = prng(5);
    const values = [...edge, ...Array.from({ length: 500 }, () => Math.floor(rand() * 2 ** 32) - 2 ** 31)];
    for (const v of values) {
      const ours = new Writer().sint32(v).finish();
      expect(Buffer.from(ours).toString('hex'), String(v)).toBe(Buffer.from(protobuf.Writer.create().sint32(v).finish()).toString('hex'));
      expect(new Reader(ours).sint32()).toBe(v);
      expect(zigzagDecode32(zigzagEncode32(v))).toBe(v);
    }
    expect([0, -1, 1, -2, 2147483647, -2147483648].map(zigzagEncode32)).toEqual([0, 1, 2, 3, 4294967294, 4294967295]);
  });

  it('reads sint32 positions of a protobufjs UnitState', () => {
    const bytes = UnitState.encode(UnitState.fromObject({ id: 7, x: -1234, y: 56789, hull: 3 })).finish();
    const r = new Reader(bytes);
    const got: Record<number, number> = {};
    while (!r.done) {
      const [f, wt] = r.tag();
      expect(wt).toBe(0);
      got[f] = f === 4 || f === 5 ? r.sint32() : r.uint32();
    }
    expect(got).toEqual({ 1: 7, 4: -1234, 5: 56789, 6: 3 });
  });

  it('uint32 varints and doubles match protobufjs', () => {
    const rand = prng(6);
    for (const v of [0, 1, 127, 128, 255, 16_383, 16_384, 2 ** 21, 2 ** 28, 2 ** 31, 2 ** 32 - 1, ...Array.from({ length: 200 }, () => Math.floor(rand() * 2 ** 32))]) {
      expect(Buffer.from(new Writer().uint32(v).finish()).toString('hex')).toBe(Buffer.from(protobuf.Writer.create().uint32(v).finish()).toString('hex'));
      expect(new Reader(new Writer().uint32(v).finish()).uint32()).toBe(v);
    }
    for (const d of [0, -0, 1.5, -2.25, Math.PI, 1e300, -1e-300, Number.MAX_SAFE_INTEGER, Infinity, -Infinity]) {
      expect(Buffer.from(new Writer().double(d).finish()).toString('hex')).toBe(Buffer.from(protobuf.Writer.create().double(d).finish()).toString('hex'));
      expect(Object.is(new Reader(new Writer().double(d).finish()).double(), d)).toBe(true);
    }
    expect(Number.isNaN(new Reader(new Writer().double(NaN).finish()).double())).toBe(true);
  });

  it('the Writer grows past its initial buffer', () => {
    const units = Array.from({ length: 5000 }, (_, i) => i * 1000);
    const bytes = encodeClientMessage(1, { kind: 'command', command: { id: 'big', turn: 1, order: { kind: 'hold', scope: { units } } } });
    expect(bytes.length).toBeGreaterThan(10_000);
    expect(pbDecode(bytes)).toMatchObject({ command: { hold: { scope: { units } } } });
  });

  it('UTF-8 encoding matches Node for any string, including lone surrogates', () => {
    const rand = prng(7);
    const samples = ['', 'ascii', 'ü', '€', '😀', 'a\u0000b', '\ud800', '\udc00x', 'x\ud83d', '\ud83d\ude00\ud83d', '\uffff', '\u0800', '\u07ff'];
    for (let i = 0; i < 300; i++) {
      const n = Math.floor(rand() * 12);
      let s = '';
      for (let j = 0; j < n; j++) {
        const r = rand();
        s += String.fromCharCode(r < 0.4 ? Math.floor(rand() * 0x80) : r < 0.6 ? Math.floor(rand() * 0x800) : r < 0.8 ? Math.floor(rand() * 0x10000) : 0xd800 + Math.floor(rand() * 0x800));
      }
      samples.push(s);
    }
    for (const s of samples) {
      expect(Buffer.from(utf8Encode(s)).toString('hex'), JSON.stringify(s)).toBe(Buffer.from(s, 'utf8').toString('hex'));
      const wellFormed = Buffer.from(s, 'utf8').toString('utf8');
      expect(utf8Decode(Buffer.from(s, 'utf8'))).toBe(wellFormed);
    }
  });

  it('UTF-8 decoding replaces malformed sequences instead of throwing', () => {
    expect(utf8Decode(new Uint8Array([0x61, 0xff, 0x62]))).toBe('a\ufffdb');
    expect(utf8Decode(new Uint8Array([0xc0, 0x80]))).toBe('\ufffd\ufffd'); // overlong NUL
    expect(utf8Decode(new Uint8Array([0xed, 0xa0, 0x80]))).toBe('\ufffd\ufffd\ufffd'); // encoded surrogate
    expect(utf8Decode(new Uint8Array([0xf0, 0x9f, 0x98]))).toBe('\ufffd\ufffd\ufffd'); // truncated 4-byte sequence
    expect(utf8Decode(new Uint8Array([0xf0, 0x9f, 0x98, 0x80]))).toBe('😀');
  });
});
