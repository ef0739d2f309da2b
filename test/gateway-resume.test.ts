// Resume over real sockets: a client that drops and reconnects within the grace period continues its
// session with deltas from the last turn it acknowledged (no snapshot), and ends up holding exactly
// what the server believes it holds; after the grace period, or with another player's token, the
// resume is refused (4004); and resuming a live session from a second connection closes the first (4409).

import { afterEach, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../gateway/local.js';
import { GameClient, entriesOf, type UnitView } from '../gateway/client/game-client.js';
import { Close } from '../gateway/close-codes.js';
import { Stance } from '../actors/unit/enums.js';
import { HAND_TICKED, closedWith, joinedClient, startTestCluster, tokenFor, turns } from './gateway-helpers.js';
import { RESUME_RECENT, Session } from '../gateway/session.js';

let cluster: LocalCluster | undefined;
const clients: GameClient[] = [];
afterEach(async () => {
  for (const cl of clients.splice(0)) cl.close();
  await cluster?.stop();
  cluster = undefined;
});

const PLAYER = 'alpha-pilot-3';

async function setUp(resumeGraceMs: number): Promise<{ c: LocalCluster; client: GameClient; sessionId: string }> {
  cluster = await startTestCluster({ gateway: { ...HAND_TICKED, resumeGraceMs } });
  const c = cluster;
  await turns(c, 2);
  const client = await joinedClient(c, PLAYER);
  clients.push(client);
  expect(client.welcome!.resumeGraceMs).toBe(resumeGraceMs);
  // move some units so deltas carry changes
  client.command({ move: { scope: { units: (client.welcome!.yourUnits as number[]).slice(0, 20) }, x: 1000, y: 1000 } }, 'go');
  await turns(c, 10, [client]);
  expect(entriesOf(client.units())).toEqual(c.gateway.serverView(client.welcome!.sessionId as string));
  return { c, client, sessionId: client.welcome!.sessionId as string };
}

/** Drops the connection without a close handshake and waits until the gateway has noticed. */
async function drop(c: LocalCluster, client: GameClient, sessionId: string): Promise<void> {
  client.ws.terminate();
  await client.waitFor(() => client.closed, 5000, 'local close');
  const s = c.gateway.sessions.get(sessionId)!;
  const t0 = Date.now();
  while (s.conn !== null && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 10));
  expect(s.conn).toBeNull();
}

interface Held { cells: Map<number, Map<number, UnitView>>; turn: number }

/** A copy of what a client holds (its view and the turn it applied). */
function held(client: GameClient): Held {
  return { cells: new Map([...client.cells].map(([cell, units]) => [cell, new Map(units)])), turn: client.turn };
}

/** A new client carrying the old one's state (as a real client keeps its view across a reconnect). */
async function reconnectWithState(c: LocalCluster, old: GameClient | Held): Promise<GameClient> {
  const fresh = await GameClient.connect(c.url);
  clients.push(fresh);
  for (const [cell, units] of old.cells) fresh.cells.set(cell, new Map(units));
  fresh.turn = old.turn;
  return fresh;
}

describe('gateway resume', () => {
  it('within the grace period: Welcome resumed=true, then deltas from the last acked turn, and the views agree again', async () => {
    const { c, client, sessionId } = await setUp(5000);
    const lastTurn = client.turn;
    expect(lastTurn).toBe(c.link.latest()!.turn);
    await drop(c, client, sessionId);
    await turns(c, 5); // turns pass while it is away; the gateway sends it nothing
    const fresh = await reconnectWithState(c, client);
    fresh.resume(sessionId, await tokenFor(c, { player: PLAYER, team: 'Alpha', role: 'pilot' }));
    await fresh.waitFor(() => fresh.welcome, 5000, 'welcome');
    expect(fresh.welcome).toMatchObject({ resumed: true, sessionId, playerId: PLAYER, team: 'Alpha' });
    expect(c.gateway.sessions.get(sessionId)!.conn).not.toBeNull();

    for (let t = 0; t < 12; t++) {
      await turns(c, 1, [fresh]);
      expect(entriesOf(fresh.units())).toEqual(c.gateway.serverView(sessionId));
    }
    expect(fresh.updates.length).toBe(12);
    expect(fresh.updates.every((u) => !u.snapshot)).toBe(true);
    // the first delta was based on the last turn the old client had applied (GameClient counts a base mismatch as desync)
    expect(fresh.desync).toBe(0);
    expect(fresh.updates[0].turn).toBe(lastTurn + 6);
    expect(fresh.closed).toBeNull();
    // and the session still commands: the same player, the same session
    fresh.command({ stance: { scope: { units: [(client.welcome!.yourUnits as number[])[0]] }, stance: Stance.DEFENSIVE } }, 'after-resume');
    // (a turn may start before the gateway has queued it: tick until the sector has decided)
    for (let t = 0; t < 5 && !fresh.results.some((r) => r.id === 'after-resume'); t++) {
      await new Promise((r) => setTimeout(r, 20));
      await turns(c, 1, [fresh]);
    }
    expect(fresh.results.find((r) => r.id === 'after-resume')!.accepted).toBe(true);
  });

  it('a client that missed updates before the drop resumes from the turn it really acked', async () => {
    const { c, client, sessionId } = await setUp(5000);
    // the server sends three more updates that never reach the client (it keeps the state it had)
    client.ws.pause();
    const kept = held(client);
    await turns(c, 3);
    const s = c.gateway.sessions.get(sessionId)!;
    expect(s.lastSentTurn).toBe(c.link.latest()!.turn);
    expect(kept.turn).toBe(c.link.latest()!.turn - 3);
    await drop(c, client, sessionId);
    const fresh = await reconnectWithState(c, kept);
    fresh.resume(sessionId, await tokenFor(c, { player: PLAYER, team: 'Alpha', role: 'pilot' }));
    await fresh.waitFor(() => fresh.welcome, 5000, 'welcome');
    expect(fresh.welcome!.resumed).toBe(true);
    await turns(c, 4, [fresh]);
    expect(fresh.updates.every((u) => !u.snapshot)).toBe(true);
    expect(fresh.desync).toBe(0);
    expect(entriesOf(fresh.units())).toEqual(c.gateway.serverView(sessionId));
  });

  it('a client resuming from a state the gateway no longer keeps (not its last ack, not a recent update) gets a snapshot, and the views agree', async () => {
    const { c, client, sessionId } = await setUp(5000);
    client.autoAck = false; // from here on the client applies updates without acking them
    await turns(c, 2, [client]);
    client.ws.pause();
    const kept = held(client); // two updates past its last ack
    await turns(c, RESUME_RECENT + 4); // more updates than the session keeps besides the acked state, none of which reach the client
    await drop(c, client, sessionId);
    const fresh = await reconnectWithState(c, kept);
    fresh.resume(sessionId, await tokenFor(c, { player: PLAYER, team: 'Alpha', role: 'pilot' }));
    await fresh.waitFor(() => fresh.welcome, 5000, 'welcome');
    expect(fresh.welcome!.resumed).toBe(true);
    await turns(c, 3, [fresh]);
    expect(fresh.updates.map((u) => u.snapshot)).toEqual([true, false, false]);
    expect(fresh.desync).toBe(0);
    expect(entriesOf(fresh.units())).toEqual(c.gateway.serverView(sessionId));
  });

  it('a command result decided while the client was away is delivered on resume', async () => {
    const { c, client, sessionId } = await setUp(5000);
    const unit = (client.welcome!.yourUnits as number[])[1];
    client.command({ stance: { scope: { units: [unit] }, stance: Stance.BALANCED } }, 'while-away');
    await c.gateway.sessions.get(sessionId)!.queue; // the gateway has taken it
    await new Promise((r) => setTimeout(r, 30));
    await drop(c, client, sessionId);
    await turns(c, 2);
    expect(client.results.some((r) => r.id === 'while-away')).toBe(false);
    const fresh = await reconnectWithState(c, client);
    fresh.resume(sessionId, await tokenFor(c, { player: PLAYER, team: 'Alpha', role: 'pilot' }));
    const res = await fresh.waitFor(() => fresh.results.find((r) => r.id === 'while-away'), 5000, 'pending result');
    expect(res.accepted).toBe(true);
  });

  it('after the grace period the session is gone: close 4004', async () => {
    const { c, client, sessionId } = await setUp(300);
    await drop(c, client, sessionId);
    await new Promise((r) => setTimeout(r, 450));
    await turns(c, 1);
    const fresh = await reconnectWithState(c, client);
    fresh.resume(sessionId, await tokenFor(c, { player: PLAYER, team: 'Alpha', role: 'pilot' }));
    expect((await closedWith(fresh)).code).toBe(Close.SESSION_UNKNOWN);
    expect(fresh.welcome).toBeNull();
    expect(c.gateway.sessions.has(sessionId)).toBe(false);
  });

  it('after the grace period the resume is refused even before any turn has cleaned the session up', async () => {
    const { c, client, sessionId } = await setUp(300);
    await drop(c, client, sessionId);
    await new Promise((r) => setTimeout(r, 450));
    const fresh = await reconnectWithState(c, client);
    fresh.resume(sessionId, await tokenFor(c, { player: PLAYER, team: 'Alpha', role: 'pilot' }));
    expect((await closedWith(fresh)).code).toBe(Close.SESSION_UNKNOWN);
  });

  it('a resume with another player\'s token is refused with 4004 and leaves the session alone', async () => {
    const { c, client, sessionId } = await setUp(5000);
    await drop(c, client, sessionId);
    const thief = await reconnectWithState(c, client);
    thief.resume(sessionId, await tokenFor(c, { player: 'alpha-captain-2', team: 'Alpha', role: 'captain' }));
    expect((await closedWith(thief)).code).toBe(Close.SESSION_UNKNOWN);
    expect(thief.welcome).toBeNull();
    expect(c.gateway.sessions.get(sessionId)!.conn).toBeNull();
    // an unknown session id is refused the same way
    const lost = await GameClient.connect(c.url);
    clients.push(lost);
    lost.send({ resume: { sessionId: 'no-such-session', token: await tokenFor(c, { player: PLAYER, team: 'Alpha', role: 'pilot' }), lastAckedTurn: 0 } });
    expect((await closedWith(lost)).code).toBe(Close.SESSION_UNKNOWN);
    // the rightful owner still can
    const owner = await reconnectWithState(c, client);
    owner.resume(sessionId, await tokenFor(c, { player: PLAYER, team: 'Alpha', role: 'pilot' }));
    await owner.waitFor(() => owner.welcome, 5000, 'welcome');
    expect(owner.welcome!.resumed).toBe(true);
  });

  it('resuming a live session from a second connection closes the first with 4409 and moves the updates over', async () => {
    const { c, client, sessionId } = await setUp(5000);
    const second = await reconnectWithState(c, client);
    second.resume(sessionId, await tokenFor(c, { player: PLAYER, team: 'Alpha', role: 'pilot' }));
    expect((await closedWith(client)).code).toBe(Close.TAKEN_OVER);
    await second.waitFor(() => second.welcome, 5000, 'welcome');
    expect(second.welcome!.resumed).toBe(true);
    const before = client.updates.length;
    await turns(c, 5, [second]);
    expect(client.updates.length).toBe(before);
    expect(second.updates).toHaveLength(5);
    expect(second.desync).toBe(0);
    expect(entriesOf(second.units())).toEqual(c.gateway.serverView(sessionId));
    expect(second.closed).toBeNull();
  });

  it('keeps the states a resume may start from: the last acked one however old, and the last RESUME_RECENT updates', () => {
    const s = new Session('s', { send: () => true, bufferedAmount: () => 0, close: () => {}, ip: '127.0.0.1' });
    const turnsKept = () => s.history.map((h) => h.turn);
    for (let t = 1; t <= 3; t++) s.recordSent(t);
    expect(turnsKept()).toEqual([1, 2, 3]);
    for (let t = 4; t <= 6; t++) s.recordSent(t);
    expect(turnsKept()).toEqual([3, 4, 5, 6]); // nothing acked: just the recent ones
    s.lastAckedTurn = 5;
    for (let t = 7; t <= 40; t++) s.recordSent(t);
    expect(turnsKept()).toEqual([5, 37, 38, 39, 40]); // the acked state stays however long the client is silent
    expect(s.sentState(5)).toBeDefined();
    expect(s.sentState(20)).toBeUndefined();
    s.lastAckedTurn = 39;
    s.recordSent(41);
    expect(turnsKept()).toEqual([38, 39, 40, 41]); // a newer ack releases the old state
    for (let t = 42; t <= 45; t++) s.recordSent(t);
    expect(turnsKept()).toEqual([39, 42, 43, 44, 45]);
  });

  it('a client silent since its last ack for many turns resumes from that ack with a delta', async () => {
    const { c, client, sessionId } = await setUp(5000);
    client.ws.pause(); // it has acked everything it applied
    const kept = held(client);
    await turns(c, RESUME_RECENT + 6);
    await drop(c, client, sessionId);
    const fresh = await reconnectWithState(c, kept);
    fresh.resume(sessionId, await tokenFor(c, { player: PLAYER, team: 'Alpha', role: 'pilot' }));
    await fresh.waitFor(() => fresh.welcome, 5000, 'welcome');
    await turns(c, 2, [fresh]);
    expect(fresh.updates.map((u) => u.snapshot)).toEqual([false, false]);
    expect(fresh.desync).toBe(0);
    expect(entriesOf(fresh.units())).toEqual(c.gateway.serverView(sessionId));
  });
});
