// Bad input at the gateway's door, over real sockets: malformed and truncated frames, oversized frames,
// unknown or empty messages, text frames, message floods, connection floods and commands before Hello
// each get their stable error or close code; none of it reaches the sector (every turn's hash equals a
// reference run of the same battle without any of it, and no turn resolves an order from a bad client);
// and afterwards a well-behaved client is served normally.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LocalCluster, LocalOptions } from '../gateway/local.js';
import { GameClient, entriesOf } from '../gateway/client/game-client.js';
import { ClientMessage } from '../gateway/codec.js';
import { Close, ErrorCode } from '../gateway/close-codes.js';
import type { TurnFrame } from '../actors/sector/frame.js';
import { generateSetup, openingOrders } from '../actors/sector/scenario.js';
import { createBattle } from '../actors/sector/setup.js';
import { runTurn } from '../actors/sector/turn.js';
import { Stance } from '../actors/unit/enums.js';
import { HAND_TICKED, closedWith, joinedClient, startTestCluster, turns } from './gateway-helpers.js';

const setup = generateSetup({ teams: 4, units: 1600, seed: 21 });
const REFERENCE_TURNS = 40;
/** Turn hashes of the same battle run without any client at all: 1-based by turn. */
const reference: string[] = [''];

beforeAll(() => {
  const b = createBattle(setup);
  reference.push(runTurn(b).hash);
  reference.push(runTurn(b, openingOrders(setup, b.world.width, b.world.height)).hash);
  while (reference.length <= REFERENCE_TURNS) reference.push(runTurn(b).hash);
});

let cluster: LocalCluster | undefined;
const clients: GameClient[] = [];
afterEach(async () => {
  for (const cl of clients.splice(0)) cl.close();
  await cluster?.stop();
  cluster = undefined;
});

interface Rig { c: LocalCluster; frames: TurnFrame[] }

/** The battle at turn 2 with the opening orders in (as in the reference), every frame recorded. */
async function rig(over: Partial<LocalOptions> = {}): Promise<Rig> {
  cluster = await startTestCluster({ ...over, gateway: { ...HAND_TICKED, ...over.gateway } }, setup);
  const c = cluster;
  const frames: TurnFrame[] = [];
  c.link.subscribe((f) => frames.push(f));
  await turns(c, 1);
  for (const o of openingOrders(setup, c.battle.world.width, c.battle.world.height)) expect((await c.link.submit(o)).queued).toBe(true);
  await turns(c, 1);
  return { c, frames };
}

/** Every turn so far matches the reference run, and no turn resolved anything but the opening orders. */
function expectUntouched(r: Rig): void {
  expect(r.frames.length).toBeGreaterThan(2);
  expect(r.frames.length).toBeLessThanOrEqual(REFERENCE_TURNS);
  for (const f of r.frames) {
    expect(f.hash, `state hash of turn ${f.turn}`).toBe(reference[f.turn]);
    if (f.turn !== 2) expect(f.results, `orders resolved in turn ${f.turn}`).toEqual([]);
  }
  expect(r.frames.find((f) => f.turn === 2)!.results.map((x) => x.id)).toEqual(['open-0', 'open-1', 'open-2', 'open-3']);
}

async function connect(c: LocalCluster): Promise<GameClient> {
  const client = await GameClient.connect(c.url);
  clients.push(client);
  return client;
}

/** Authenticated as a real player of the battle (and joined), so garbage comes from a session that could act. */
async function player(c: LocalCluster, id = 'beta-pilot-3'): Promise<GameClient> {
  const client = await joinedClient(c, id);
  clients.push(client);
  return client;
}

const encode = (body: Record<string, unknown>) => ClientMessage.encode(ClientMessage.fromObject({ seq: 7, ...body })).finish();

describe('gateway bad input', () => {
  it('malformed and truncated frames: MALFORMED_FRAME each, then close 4400 after maxStrikes', async () => {
    const r = await rig({ gateway: { maxStrikes: 3 } });
    const client = await player(r.c);
    const command = encode({ command: { id: 'x', turn: 2, move: { scope: { units: [1, 2, 3] }, x: 10, y: 10 } } });
    client.sendRaw(command.subarray(0, command.length - 4)); // truncated
    await client.waitFor(() => client.errors.length === 1, 5000, 'first error');
    expect(client.errors[0].code).toBe(ErrorCode.MALFORMED_FRAME);
    client.sendRaw(Uint8Array.of(0x0f, 0xff, 0xff)); // wire type 7 does not exist
    await client.waitFor(() => client.errors.length === 2, 5000, 'second error');
    expect(client.errors[1].code).toBe(ErrorCode.MALFORMED_FRAME);
    expect(client.closed).toBeNull();
    await turns(r.c, 2, [client]); // still served between strikes
    client.sendRaw(Uint8Array.of(0x22, 0x7f, 0x0a)); // a command field that claims 127 bytes and has 1
    expect((await closedWith(client)).code).toBe(Close.PROTOCOL_VIOLATION);
    expect(client.errors.map((e) => e.code)).toEqual([ErrorCode.MALFORMED_FRAME, ErrorCode.MALFORMED_FRAME, ErrorCode.MALFORMED_FRAME]);
    await turns(r.c, 3);
    expectUntouched(r);
  });

  it('a frame over the server\'s payload limit is closed with 1009', async () => {
    const r = await rig({ server: { maxPayloadBytes: 1024 } });
    const client = await player(r.c);
    const big = encode({ comm: { text: 'y'.repeat(4000) } });
    expect(big.length).toBeGreaterThan(1024);
    client.sendRaw(big);
    expect((await closedWith(client)).code).toBe(Close.TOO_BIG);
    // a big command too (the sector never sees it)
    const other = await player(r.c, 'gamma-pilot-3');
    other.sendRaw(encode({ command: { id: 'huge', turn: 3, move: { scope: { units: Array.from({ length: 400 }, (_, k) => 1_048_576 + k) }, x: 1, y: 1 } } }));
    expect((await closedWith(other)).code).toBe(Close.TOO_BIG);
    await turns(r.c, 3);
    expectUntouched(r);
  });

  it('an empty or unknown message type is UNKNOWN_MESSAGE (a strike, not a close)', async () => {
    const r = await rig({ gateway: { maxStrikes: 5 } });
    const client = await player(r.c);
    client.sendRaw(encode({})); // no body at all
    client.sendRaw(Uint8Array.of(0x08, 0x09, 0xa0, 0x06, 0x01)); // seq 9 and a field (100) this protocol does not have
    await client.waitFor(() => client.errors.length === 2, 5000, 'errors');
    expect(client.errors.map((e) => [e.code, e.seq])).toEqual([[ErrorCode.UNKNOWN_MESSAGE, 7], [ErrorCode.UNKNOWN_MESSAGE, 9]]);
    await turns(r.c, 2, [client]);
    expect(client.closed).toBeNull();
    expectUntouched(r);
  });

  it('a text frame is closed with 1003', async () => {
    const r = await rig();
    const client = await player(r.c);
    client.sendRaw(JSON.stringify({ command: { id: 'json', move: { scope: { units: [1] }, x: 1, y: 1 } } }));
    expect((await closedWith(client)).code).toBe(Close.UNSUPPORTED_DATA);
    // before Hello too
    const anon = await connect(r.c);
    anon.sendRaw('hello?');
    expect((await closedWith(anon)).code).toBe(Close.UNSUPPORTED_DATA);
    await turns(r.c, 3);
    expectUntouched(r);
  });

  it('more messages per second than messagesPerSecond is closed with 4029', async () => {
    const r = await rig({ gateway: { messagesPerSecond: 50 } });
    const client = await player(r.c);
    client.autoAck = false;
    for (let k = 0; k < 200; k++) client.send({ ping: { nonce: k, clientTimeMs: Date.now() } });
    expect((await closedWith(client)).code).toBe(Close.FLOOD);
    // a flood of orders is cut off the same way; what got through before the cut is rate limited or refused
    const spammer = await player(r.c, 'gamma-pilot-3');
    spammer.autoAck = false;
    for (let k = 0; k < 200; k++) spammer.command({ move: { scope: { units: [999_999] }, x: 1, y: 1 } }, `spam-${k}`);
    expect((await closedWith(spammer)).code).toBe(Close.FLOOD);
    await turns(r.c, 3);
    const sector = r.frames.flatMap((f) => f.results).filter((x) => x.player === 'gamma-pilot-3');
    expect(sector.every((x) => !x.ok)).toBe(true);
    expect(r.frames.every((f) => f.hash === reference[f.turn])).toBe(true);
  });

  it('more connections from one address than maxConnectionsPerIp are refused with HTTP 429', async () => {
    const r = await rig({ server: { maxConnectionsPerIp: 4 } });
    const open: GameClient[] = [];
    for (let k = 0; k < 4; k++) open.push(await connect(r.c));
    // the raw `ws` client sees the 429 response
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(r.c.url);
      ws.once('unexpected-response', (req, res) => { resolve(res.statusCode ?? 0); req.destroy(); });
      ws.once('open', () => { ws.terminate(); reject(new Error('a fifth connection was accepted')); });
      ws.once('error', () => undefined);
    });
    expect(status).toBe(429);
    await expect(GameClient.connect(r.c.url)).rejects.toThrow('HTTP 429');
    // the limit counts open connections: one closes, one more may come in
    open[0].close();
    await open[0].waitFor(() => open[0].closed, 5000, 'close');
    await new Promise((res) => setTimeout(res, 50));
    const again = await connect(r.c);
    expect(again.ws.readyState).toBe(WebSocket.OPEN);
    await expect(GameClient.connect(r.c.url)).rejects.toThrow('HTTP 429');
    await turns(r.c, 2);
    expectUntouched(r);
  });

  it('commands (and joins) before Hello are NOT_AUTHENTICATED and reach nobody', async () => {
    const r = await rig({ gateway: { maxStrikes: 10 } });
    const anon = await connect(r.c);
    anon.command({ move: { scope: { units: [1] }, x: 500, y: 500 } }, 'early-1', 2);
    anon.join(r.c.battle.config.battleId);
    anon.command({ retreat: { mode: 2 } }, 'early-2', 2);
    await anon.waitFor(() => anon.errors.length === 3, 5000, 'errors');
    expect(anon.errors.map((e) => e.code)).toEqual([ErrorCode.NOT_AUTHENTICATED, ErrorCode.NOT_AUTHENTICATED, ErrorCode.NOT_AUTHENTICATED]);
    expect(anon.results).toEqual([]);
    expect(anon.welcome).toBeNull();
    await turns(r.c, 3);
    expectUntouched(r);
  });

  it('after all of it, a well-behaved client is served normally and the battle was never touched', async () => {
    const r = await rig({ gateway: { maxStrikes: 2, messagesPerSecond: 200 }, server: { maxPayloadBytes: 2048, maxConnectionsPerIp: 12 } });
    const { c } = r;
    const bad: GameClient[] = [];
    // garbage from players of every team, and from nobody at all
    const malformed = await player(c, 'beta-pilot-3');
    malformed.sendRaw(Uint8Array.of(0x0f));
    malformed.sendRaw(Uint8Array.of(0x12, 0x40, 0x0a));
    const oversize = await player(c, 'gamma-pilot-3');
    oversize.sendRaw(new Uint8Array(5000).fill(0x0a));
    const texter = await player(c, 'delta-pilot-3');
    texter.sendRaw('{"command":{}}');
    const flooder = await player(c, 'alpha-captain-2');
    flooder.autoAck = false;
    for (let k = 0; k < 400; k++) flooder.send({ ping: { nonce: k, clientTimeMs: 0 } });
    const anon = await connect(c);
    anon.command({ hold: { scope: { team: true } } }, 'anon-1', 2);
    anon.send({});
    bad.push(malformed, oversize, texter, flooder, anon);
    const codes = await Promise.all([malformed, texter, flooder].map((x) => closedWith(x).then((e) => e.code)));
    expect(codes).toEqual([Close.PROTOCOL_VIOLATION, Close.UNSUPPORTED_DATA, Close.FLOOD]);
    await closedWith(oversize); // its close code is the dedicated test's business (1009 expected)
    expect((await closedWith(anon)).code).toBe(Close.PROTOCOL_VIOLATION); // two strikes
    expect(anon.errors.map((e) => e.code)).toEqual([ErrorCode.NOT_AUTHENTICATED, ErrorCode.NOT_AUTHENTICATED]);
    await turns(c, 5);
    expectUntouched(r);
    for (const b of bad) expect(b.results).toEqual([]);

    // a well-behaved client
    const good = await player(c, 'alpha-pilot-3');
    const sessionId = good.welcome!.sessionId as string;
    const mine = good.welcome!.yourUnits as number[];
    expect(mine.length).toBeGreaterThan(0);
    for (let t = 0; t < 10; t++) {
      await turns(c, 1, [good]);
      expect(entriesOf(good.units())).toEqual(c.gateway.serverView(sessionId));
    }
    expectUntouched(r);
    good.command({ stance: { scope: { units: [mine[0]] }, stance: Stance.DEFENSIVE } }, 'fine');
    for (let t = 0; t < 5 && !good.results.some((x) => x.id === 'fine'); t++) {
      await new Promise((res) => setTimeout(res, 20));
      await turns(c, 1, [good]);
    }
    expect(good.results.find((x) => x.id === 'fine')).toMatchObject({ accepted: true });
    expect(c.battle.world.stance[mine[0] & 0xfffff]).toBe(Stance.DEFENSIVE);
    expect(good.errors).toEqual([]);
    expect(good.desync).toBe(0);
    expect(good.closed).toBeNull();
    // the only orders any turn resolved: the opening ones and the good client's
    const resolved = r.frames.flatMap((f) => f.results).map((x) => x.id);
    expect(resolved).toEqual(['open-0', 'open-1', 'open-2', 'open-3', 'alpha-pilot-3/fine']);
  });
});
