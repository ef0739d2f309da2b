// Backpressure over real sockets: a client that stops reading fills its socket, then the gateway skips
// its updates (never queues them without bound) while every other client keeps getting each turn on
// time; when it reads again it starts over from a snapshot; stalled past maxBehindMs or
// hardBackpressureBytes it is closed with 4008.

import { afterEach, describe, expect, it } from 'vitest';
import type { LocalCluster, LocalOptions } from '../gateway/local.js';
import { entriesOf, type GameClient } from '../gateway/client/game-client.js';
import { Close } from '../gateway/close-codes.js';
import type { Session } from '../gateway/session.js';
import { generateSetup, openingOrders } from '../actors/sector/scenario.js';
import { HAND_TICKED, closedWith, joinedClient, startTestCluster, turns } from './gateway-helpers.js';

let cluster: LocalCluster | undefined;
const clients: GameClient[] = [];
afterEach(async () => {
  for (const cl of clients.splice(0)) { cl.ws.resume(); cl.close(); }
  await cluster?.stop();
  cluster = undefined;
});

const SOFT = 4 * 1024;

interface Rig { c: LocalCluster; stalled: GameClient; session: Session; others: GameClient[] }

async function rig(gateway: Partial<NonNullable<LocalOptions['gateway']>>): Promise<Rig> {
  const setup = generateSetup({ teams: 4, units: 1600, seed: 21 });
  cluster = await startTestCluster({ gateway: { ...HAND_TICKED, ...gateway } }, setup);
  const c = cluster;
  await turns(c, 1);
  // a moving, fighting battle keeps every update non-trivial
  for (const o of openingOrders(setup, c.battle.world.width, c.battle.world.height)) await c.link.submit(o);
  const r = c.battle.roster;
  const stalled = await joinedClient(c, r.players.find((p) => p.team === 0 && p.role === 'supreme_commander')!.id, { tier: 'gold' });
  const others: GameClient[] = [];
  for (const team of [1, 2, 3]) others.push(await joinedClient(c, r.players.find((p) => p.team === team && p.role === 'pilot')!.id, { tier: 'gold' }));
  clients.push(stalled, ...others);
  await turns(c, 2, [stalled, ...others]);
  return { c, stalled, session: c.gateway.sessions.get(stalled.welcome!.sessionId as string)!, others };
}

/** One turn; every other client must have it within `withinMs` (returns how long the slowest took). */
async function turnOnTime(r: Rig, withinMs = 2000): Promise<number> {
  await r.c.tick();
  const turn = r.c.link.latest()!.turn;
  const t0 = Date.now();
  await Promise.all(r.others.map((o) => o.waitFor(() => o.turn >= turn, withinMs, `turn ${turn} at an unstalled client`)));
  return Date.now() - t0;
}

/**
 * Stops reading at the stalled client and fills its socket. Loopback socket buffers are megabytes deep
 * and autotuned, and this battle's updates shrink as it is decided, so turns alone fill them slowly and
 * unpredictably; the stalled client only stopped *reading*, so it keeps talking on squad comms, which the
 * gateway echoes to its squad (itself: its teammates here are not connected) until its socket backs up.
 */
async function fillSocket(r: Rig, beyond = SOFT): Promise<void> {
  r.stalled.ws.pause();
  const text = 'fill'.repeat(50);
  for (let batch = 0; r.session.conn!.bufferedAmount() <= beyond; batch++) {
    expect(batch, 'batches of squad comms to fill the stalled socket').toBeLessThan(400);
    for (let k = 0; k < 1000; k++) r.stalled.send({ comm: { text } });
    const t0 = Date.now();
    while (r.stalled.ws.bufferedAmount > 0 && Date.now() - t0 < 5000) await new Promise((res) => setTimeout(res, 5));
    await new Promise((res) => setTimeout(res, 10));
    await r.session.queue;
  }
}

/** Fills the stalled client's socket, then runs turns until the gateway skips its updates. */
async function stallUntilSkipped(r: Rig): Promise<void> {
  await fillSocket(r);
  const skipped0 = r.c.gateway.stats.skippedForBackpressure;
  await turnOnTime(r);
  expect(r.c.gateway.stats.skippedForBackpressure - skipped0, 'the first turn after the socket filled is skipped').toBe(1);
}

function expectEveryTurn(o: GameClient, upTo: number): void {
  const ts = o.updates.map((u) => u.turn);
  expect(ts.at(-1)).toBe(upTo);
  for (let k = 1; k < ts.length; k++) if (ts[k] !== ts[k - 1] + 1) expect.fail(`update of turn ${ts[k - 1] + 1} missing (got ${ts[k - 1]} then ${ts[k]})`);
  expect(o.closed).toBeNull();
  expect(o.desync).toBe(0);
}

describe('gateway backpressure', () => {
  it('skips a stalled client\'s updates without delaying anyone, then resynchronises it with a snapshot', async () => {
    const r = await rig({ softBackpressureBytes: SOFT, maxBehindMs: 60_000 });
    const { c, stalled, session } = r;
    await stallUntilSkipped(r);
    expect(session.behindSince).toBeGreaterThan(0);
    const lastSentWhileStalled = session.lastSentTurn;
    // keep going: the stalled client gets nothing new, the others get every turn promptly
    const skipped0 = c.gateway.stats.skippedForBackpressure;
    const buffered0 = session.conn!.bufferedAmount();
    let slowest = 0;
    for (let t = 0; t < 30; t++) slowest = Math.max(slowest, await turnOnTime(r));
    expect(slowest).toBeLessThan(1000);
    expect(c.gateway.stats.skippedForBackpressure - skipped0).toBe(30);
    expect(session.lastSentTurn).toBe(lastSentWhileStalled);
    // bounded: the skipped turns were not queued (only the turns' few team events were)
    expect(session.conn!.bufferedAmount()).toBeGreaterThan(SOFT);
    expect(session.conn!.bufferedAmount() - buffered0).toBeLessThan(32 * 1024);
    const now = c.link.latest()!.turn;
    for (const o of r.others) expectEveryTurn(o, now);

    // reading again: the backlog drains, then the next turn comes as a snapshot
    stalled.ws.resume();
    await stalled.waitFor(() => stalled.turn === lastSentWhileStalled, 10_000, 'backlog drained');
    const t0 = Date.now();
    while (session.conn!.bufferedAmount() > SOFT && Date.now() - t0 < 5000) await new Promise((res) => setTimeout(res, 10));
    const before = stalled.updates.length;
    await turns(c, 1, [stalled, ...r.others]);
    expect(stalled.updates.length).toBe(before + 1);
    expect(stalled.updates.at(-1)).toMatchObject({ turn: now + 1, snapshot: true });
    expect(entriesOf(stalled.units())).toEqual(c.gateway.serverView(session.id));
    expect(session.behindSince).toBe(0);
    // and deltas again from there
    for (let t = 0; t < 5; t++) {
      await turns(c, 1, [stalled, ...r.others]);
      expect(entriesOf(stalled.units())).toEqual(c.gateway.serverView(session.id));
    }
    expect(stalled.updates.slice(-5).every((u) => !u.snapshot)).toBe(true);
    expect(stalled.closed).toBeNull();
    for (const o of r.others) expectEveryTurn(o, now + 6);
  });

  it('closes a client stalled for longer than maxBehindMs with 4008, and the others carry on', async () => {
    const r = await rig({ softBackpressureBytes: SOFT, maxBehindMs: 300 });
    await stallUntilSkipped(r);
    expect(r.session.conn).not.toBeNull();
    await new Promise((res) => setTimeout(res, 400));
    await turnOnTime(r);
    // the close frame waits behind what the client has not read yet
    r.stalled.ws.resume();
    const closed = await closedWith(r.stalled, 10_000);
    expect(closed.code).toBe(Close.TOO_SLOW);
    expect(r.session.conn).toBeNull();
    for (let t = 0; t < 5; t++) await turnOnTime(r);
    for (const o of r.others) expectEveryTurn(o, r.c.link.latest()!.turn);
  });

  it('closes a client whose unsent backlog passes hardBackpressureBytes with 4008', async () => {
    // soft above hard: nothing is skipped, the backlog only has to pass the hard bound
    const r = await rig({ softBackpressureBytes: 64 * 1024 * 1024, hardBackpressureBytes: 64 * 1024, maxBehindMs: 60_000 });
    await fillSocket(r, 64 * 1024);
    expect(r.session.conn).not.toBeNull();
    await turnOnTime(r);
    expect(r.session.conn).toBeNull();
    expect(r.c.gateway.stats.skippedForBackpressure).toBe(0);
    r.stalled.ws.resume();
    expect((await closedWith(r.stalled, 10_000)).code).toBe(Close.TOO_SLOW);
    for (const o of r.others) expectEveryTurn(o, r.c.link.latest()!.turn);
  });

  it('does not close a client that was behind but has caught up by the time of its next update', async () => {
    const MAX_BEHIND = 1500;
    const r = await rig({ softBackpressureBytes: SOFT, maxBehindMs: MAX_BEHIND });
    const { c, stalled, session } = r;
    await stallUntilSkipped(r);
    const behindSince = session.behindSince;
    expect(behindSince).toBeGreaterThan(0);
    // it reads again straight away and drains its backlog well within maxBehindMs...
    stalled.ws.resume();
    await stalled.waitFor(() => stalled.turn === session.lastSentTurn, 10_000, 'backlog drained');
    while (session.conn!.bufferedAmount() > 0 && Date.now() - behindSince < MAX_BEHIND) await new Promise((res) => setTimeout(res, 5));
    expect(session.conn!.bufferedAmount()).toBe(0);
    expect(Date.now() - behindSince, 'drained within maxBehindMs (precondition)').toBeLessThan(MAX_BEHIND);
    // ...but its next update is due only later (a slowed game clock, or a silver/bronze update period)
    await new Promise((res) => setTimeout(res, MAX_BEHIND + 100 - (Date.now() - behindSince)));
    await turnOnTime(r);
    const turn = c.link.latest()!.turn;
    await stalled.waitFor(() => stalled.closed || stalled.turn === turn, 5000, `turn ${turn} or a close`);
    expect(stalled.closed).toBeNull();
    expect(stalled.updates.at(-1)).toMatchObject({ turn, snapshot: true });
    expect(entriesOf(stalled.units())).toEqual(c.gateway.serverView(session.id));
  });
});
