// Update rates by tier over real sockets: gold every turn, silver every 10, bronze every 30, with the
// events of the turns in between batched into the tier's updates; free spectators a Summary every
// `spectatorEveryTurns` about the battle `spectatorDelayTurns` earlier, in each view mode.

import { afterEach, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../gateway/local.js';
import { entriesOf, type GameClient } from '../gateway/client/game-client.js';
import type { TurnFrame } from '../actors/sector/frame.js';
import type { PublishedTurn, SectorMsg } from '../actors/sector/sector-actor.js';
import { generateSetup, openingOrders } from '../actors/sector/scenario.js';
import { HAND_TICKED, frameIndex, joinedClient, recordArrivals, spectatorClient, startTestCluster, turns, unitIdsOf } from './gateway-helpers.js';

let cluster: LocalCluster | undefined;
const clients: GameClient[] = [];
afterEach(async () => {
  for (const cl of clients.splice(0)) cl.close();
  await cluster?.stop();
  cluster = undefined;
});

type Msg = Record<string, unknown>;
type Arrival = ReturnType<typeof recordArrivals>[number];

const isUpdate = (a: Arrival) => a.body === 'snapshot' || a.body === 'delta';
const eventKey = (turn: number, e: Msg) => `${turn}:${e.type}:${e.unit}:${e.other}:${e.player}:${e.from}:${e.text}:${e.team}`;

/** Events riding an update (its `events` field). */
const eventsIn = (a: Arrival) => (a.msg.events ?? []) as Msg[];

/** Events ride the tier's updates only, each update carrying the turns since the previous one; returns how many carried several turns. */
function expectEventsBatched(log: Arrival[], every: number): number {
  let batched = 0;
  let lastUpdate = 0;
  for (const a of log) {
    expect(isUpdate(a), `nothing but updates reach a ${every}-turn client while it plays (got ${a.body})`).toBe(true);
    const turns = new Set(eventsIn(a).map((e) => e.turn as number));
    if (lastUpdate > 0 && turns.size > 0) expect(a.turn % every, `events ride the tier's update (turn ${a.turn})`).toBe(0);
    for (const t of turns) {
      expect(t).toBeGreaterThan(lastUpdate);
      expect(t).toBeLessThanOrEqual(a.turn);
    }
    if (turns.size > 1) batched++;
    lastUpdate = a.turn;
  }
  return batched;
}

/** A 2-team battle after its first turn, with a gold pilot on one team and a silver one on the other, their arrivals recorded. */
async function goldAndSilverPilots() {
  cluster = await startTestCluster({ gateway: HAND_TICKED }, generateSetup({ teams: 2, units: 1600, seed: 5 }));
  const c = cluster;
  await turns(c, 1);
  const r = c.battle.roster;
  const gold = await joinedClient(c, r.players.find((p) => p.team === 0 && p.role === 'pilot')!.id, { tier: 'gold' });
  const silver = await joinedClient(c, r.players.find((p) => p.team === 1 && p.role === 'pilot')!.id, { tier: 'silver' });
  clients.push(gold, silver);
  return { c, gold, silver, logs: new Map([gold, silver].map((x) => [x, recordArrivals(x)])) };
}

describe('gateway update rates by tier', () => {
  it('gold gets every turn, silver every 10th, bronze every 30th; events ride the tier\'s updates', async () => {
    const setup = generateSetup({ teams: 4, units: 1600, seed: 21 });
    cluster = await startTestCluster({ gateway: HAND_TICKED }, setup);
    const c = cluster;
    await turns(c, 1);
    // the same team, so all three get the same team events; the supreme commander's opening order reaches
    // every other player of the team as an order_received event on turn 2
    const r = c.battle.roster;
    const of = (role: string) => r.players.find((p) => p.team === 0 && p.role === role)!.id;
    const gold = await joinedClient(c, of('pilot'), { tier: 'gold' });
    const silver = await joinedClient(c, of('captain'), { tier: 'silver' });
    const bronze = await joinedClient(c, of('admiral'), { tier: 'bronze' });
    clients.push(gold, silver, bronze);
    expect([gold, silver, bronze].map((x) => x.welcome!.updateEveryTurns)).toEqual([1, 10, 30]);
    const logs = new Map([gold, silver, bronze].map((x) => [x, recordArrivals(x)]));
    await Promise.all([gold, silver, bronze].map((x) => x.waitFor(() => x.updates.length === 1, 5000, 'join snapshot')));
    const joinTurn = c.link.latest()!.turn;
    for (const o of openingOrders(setup, c.battle.world.width, c.battle.world.height)) await c.link.submit(o);

    const last = 150; // past first contact (~turn 75), so units die and destroyed events flow
    while (c.link.latest()!.turn < last) {
      await turns(c, 1, [gold, silver, bronze]);
      const t = c.link.latest()!.turn;
      // exactly the updates due by now, never an extra or a missing one
      for (const [x, every] of [[gold, 1], [silver, 10], [bronze, 30]] as const) {
        const due = [joinTurn, ...Array.from({ length: t - joinTurn }, (_, k) => joinTurn + 1 + k).filter((n) => n % every === 0)];
        await x.waitFor(() => x.updates.length >= due.length, 5000, `update of turn ${due.at(-1)}`);
        expect(x.updates.map((u) => u.turn), `tier every ${every} at turn ${t}`).toEqual(due);
        if (t % every === 0) expect(entriesOf(x.units())).toEqual(c.gateway.serverView(x.welcome!.sessionId as string));
      }
    }
    // let anything in flight arrive: a stray update would show up here
    await new Promise((res) => setTimeout(res, 100));
    expect(silver.updates.map((u) => u.turn)).toEqual([joinTurn, ...Array.from({ length: 15 }, (_, k) => (k + 1) * 10)]);
    expect(bronze.updates.map((u) => u.turn)).toEqual([joinTurn, 30, 60, 90, 120, 150]);
    expect(gold.updates).toHaveLength(last - joinTurn + 1);
    for (const x of [gold, silver, bronze]) {
      expect(x.updates.slice(1).every((u) => !u.snapshot)).toBe(true);
      expect(x.desync).toBe(0);
    }

    // events: gold gets each turn's inside that turn's update; silver and bronze get them batched in theirs
    for (const a of logs.get(gold)!) {
      expect(isUpdate(a), `gold gets one message a turn, its update (got ${a.body})`).toBe(true);
      for (const e of eventsIn(a)) expect(e.turn, `gold events of turn ${e.turn} come with that turn's update`).toBe(a.turn);
    }
    expect(expectEventsBatched(logs.get(gold)!, 1)).toBe(0);
    expect(expectEventsBatched(logs.get(silver)!, 10)).toBeGreaterThan(3);
    expect(expectEventsBatched(logs.get(bronze)!, 30)).toBeGreaterThan(1);
    // nothing is lost by batching: the team's events (all but the per-player ones) are the same for every tier
    const teamEvents = (x: GameClient) => new Set(x.events.flatMap((m) => (m.events as Msg[]).filter((e) => e.type !== 'order_received').map((e) => eventKey(m.turn as number, e))));
    const goldTeam = teamEvents(gold);
    expect(goldTeam.size).toBeGreaterThan(10);
    expect([...goldTeam].some((k) => k.includes(':destroyed:'))).toBe(true);
    expect(teamEvents(silver)).toEqual(goldTeam);
    expect(teamEvents(bronze)).toEqual(goldTeam);
    // the opening order reached each of them as its own event, batched into its first update after turn 2
    for (const [x, firstUpdate] of [[gold, 2], [silver, 10], [bronze, 30]] as const) {
      const log = logs.get(x)!;
      const u = log.find((a) => eventsIn(a).some((e) => (e.events as Msg[]).some((g) => g.type === 'order_received')));
      expect(u, `order_received for every ${firstUpdate}`).toBeDefined();
      expect(eventsIn(u!).find((e) => (e.events as Msg[]).some((g) => g.type === 'order_received'))!.turn).toBe(2);
      expect(u!.turn).toBe(firstUpdate);
    }
  });
});

describe('time dilation', () => {
  /** Turns at a given dilation factor (the sector loop would choose it from the turn's cost). */
  async function dilatedTurns(c: LocalCluster, n: number, factor: number, clients: GameClient[]): Promise<void> {
    for (let i = 0; i < n; i++) {
      await c.system.ask<SectorMsg, PublishedTurn>(c.sector, (reply) => ({ type: 'tick', dilation: factor, reply }));
      const turn = c.battle.world.turn;
      for (const cl of clients) if (turn % ((cl.welcome!.updateEveryTurns as number) || 1) === 0) await cl.waitFor(() => cl.turn >= turn, 5000, `turn ${turn}`);
    }
  }
  const dilationsIn = (log: Arrival[]) => log.filter((a) => a.msg.dilation).map((a) => ({ turn: a.turn, factor: (a.msg.dilation as Msg).factor }));

  it('a changed factor rides each client\'s next update once: gold that turn, silver with its next update', async () => {
    const { c, gold, silver, logs } = await goldAndSilverPilots();
    await dilatedTurns(c, 11 - c.battle.world.turn, 1, [gold, silver]); // to turn 11: silver's next update is turn 20
    await dilatedTurns(c, 4, 0.5, [gold, silver]); // turns 12-15 at half speed
    expect(gold.dilation).toBe(0.5);
    expect(silver.dilation).toBe(1); // nothing reaches silver between its updates
    await dilatedTurns(c, 5, 0.5, [gold, silver]); // to turn 20
    await dilatedTurns(c, 2, 1, [gold, silver]); // turns 21-22 at full speed again
    expect(dilationsIn(logs.get(gold)!)).toEqual([{ turn: 12, factor: 0.5 }, { turn: 21, factor: 1 }]);
    expect(dilationsIn(logs.get(silver)!)).toEqual([{ turn: 20, factor: 0.5 }]);
    expect([gold.dilation, silver.dilation]).toEqual([1, 0.5]);
    expect(logs.get(gold)!.every((a) => a.body === 'snapshot' || a.body === 'delta')).toBe(true);
  });
});

describe('gateway free spectators', () => {
  it('get a Summary every spectatorEveryTurns about the battle spectatorDelayTurns earlier, in each view mode', async () => {
    const every = 10, delay = 30;
    const setup = generateSetup({ teams: 4, units: 1600, seed: 21 });
    cluster = await startTestCluster({ gateway: { ...HAND_TICKED, spectatorEveryTurns: every, spectatorDelayTurns: delay } }, setup);
    const c = cluster;
    const frames = new Map<number, TurnFrame>();
    c.link.subscribe((f) => frames.set(f.turn, f));
    await turns(c, 1);
    for (const o of openingOrders(setup, c.battle.world.width, c.battle.world.height)) await c.link.submit(o);
    const commander = c.battle.roster.players.find((p) => p.team === 1 && p.role === 'supreme_commander')!;
    const w = c.battle.world;
    // a carrier of another team: it lives through the test
    const followed = c.battle.roster.players.filter((p) => p.team === 2).flatMap((p) => unitIdsOf(c, p.id)).find((id) => w.type[id & 0xfffff] === 6)!;
    expect(followed).toBeGreaterThan(0);
    const whole = await spectatorClient(c, 'fan-whole');
    const byUnit = await spectatorClient(c, 'fan-unit', { mode: 2, followUnit: followed });
    const byCommander = await spectatorClient(c, 'fan-commander', { mode: 1, followPlayer: commander.id });
    const spectators = [whole, byUnit, byCommander];
    clients.push(...spectators);
    for (const s of spectators) {
      expect(s.welcome!.spectator).toBe(true);
      expect(s.welcome!.updateEveryTurns).toBe(every);
    }
    const arrivals = new Map(spectators.map((s) => [s, [] as number[]]));

    const last = 120;
    while (c.link.latest()!.turn < last) {
      const before = spectators.map((s) => s.summaries.length);
      await c.tick();
      const t = c.link.latest()!.turn;
      const due = t % every === 0 && frames.has(t - delay);
      if (due) await Promise.all(spectators.map((s, k) => s.waitFor(() => s.summaries.length === before[k] + 1, 5000, `summary at turn ${t}`)));
      else await new Promise((res) => setTimeout(res, 2)); // (a stray one would be caught below)
      for (const [k, s] of spectators.entries()) if (s.summaries.length > before[k]) arrivals.get(s)!.push(t);
    }
    await new Promise((res) => setTimeout(res, 100));

    const expected = Array.from({ length: last / every }, (_, k) => (k + 1) * every).filter((t) => frames.has(t - delay));
    expect(expected.length).toBeGreaterThanOrEqual(8);
    for (const s of spectators) {
      // summaries only: no snapshot, delta or events, ever
      expect(s.updates).toEqual([]);
      expect(s.events).toEqual([]);
      expect(arrivals.get(s)).toEqual(expected);
      expect(s.summaries.map((m) => m.turn)).toEqual(expected.map((t) => t - delay));
      for (const m of s.summaries) {
        const f = frames.get(m.turn as number)!;
        const perTeam = new Array<number>(f.teamCount).fill(0);
        for (let i = 0; i < f.count; i++) perTeam[f.team[i]]++;
        expect(m.unitsPerTeam).toEqual(perTeam);
        expect(m.lossesPerTeam).toEqual(Array.from(f.lost));
        const agg = m.aggregate as Msg;
        expect((agg.counts as number[]).reduce((a, b) => a + b, 0)).toBe(f.count);
        expect(agg.teams).toBe(f.teamCount);
      }
    }
    // whole sector: the aggregate only
    expect(whole.summaries.every((m) => (m.cells as Msg[]).length === 0)).toBe(true);
    // follow modes: full cells around the followed unit / commander, as they stood `delay` turns ago
    const idsIn = (m: Msg) => new Map((m.cells as Msg[]).flatMap((cell) => {
      expect(cell.full).toBe(true);
      return (cell.upserts as Msg[]).map((u) => [u.id as number, u] as const);
    }));
    for (const m of byUnit.summaries) {
      const f = frames.get(m.turn as number)!;
      const i = frameIndex(f).get(followed)!;
      const seen = idsIn(m);
      expect(seen.get(followed), `followed unit in the summary of turn ${m.turn}`).toMatchObject({ x: Math.round(f.x[i]), y: Math.round(f.y[i]) });
    }
    for (const m of byCommander.summaries) {
      const f = frames.get(m.turn as number)!;
      const seen = idsIn(m);
      const his: number[] = [];
      for (let i = 0; i < f.count; i++) if (f.owner[i] === commander.index) his.push(f.id[i]);
      expect(his.length).toBeGreaterThan(0);
      expect(his.filter((id) => !seen.has(id)), `commander's units missing from the summary of turn ${m.turn}`).toEqual([]);
    }
  });

  it('still get summaries when spectatorDelayTurns is not a multiple of spectatorEveryTurns', async () => {
    const every = 10, delay = 25;
    cluster = await startTestCluster({ gateway: { ...HAND_TICKED, spectatorEveryTurns: every, spectatorDelayTurns: delay } });
    const c = cluster;
    const fan = await spectatorClient(c, 'fan-odd-delay');
    clients.push(fan);
    const arrivals: number[] = [];
    for (let t = 1; t <= 80; t++) {
      const before = fan.summaries.length;
      await c.tick();
      expect(c.link.latest()!.turn).toBe(t);
      if (t % every === 0 && t - delay >= 1) await fan.waitFor(() => fan.summaries.length > before, 250, `summary at turn ${t}`).catch(() => undefined);
      if (fan.summaries.length > before) arrivals.push(t);
    }
    // due at turns 30..80, each about the battle 25 turns earlier
    expect(arrivals).toEqual([30, 40, 50, 60, 70, 80]);
    expect(fan.summaries.map((m) => m.turn)).toEqual([5, 15, 25, 35, 45, 55]);
  });

  it('command results: gold gets them the next turn, silver with its next update (one write per client per turn)', async () => {
    const { c, gold, silver, logs } = await goldAndSilverPilots();
    await turns(c, 2, [gold, silver]);
    expect(c.link.latest()!.turn % 10).not.toBe(0);
    for (const x of [gold, silver]) x.command({ hold: { scope: { units: [(x.welcome!.yourUnits as number[])[0]] } } }, 'h1');
    await new Promise((res) => setTimeout(res, 50)); // the gateway has the orders
    const sentAt = c.link.latest()!.turn;
    await turns(c, 1, [gold, silver]);
    await gold.waitFor(() => gold.results.length === 1, 5000, 'gold result');
    expect(silver.results).toHaveLength(0); // held for silver's next update
    await turns(c, 10 - ((sentAt + 1) % 10), [gold, silver]);
    await silver.waitFor(() => silver.results.length === 1, 5000, 'silver result with its update');
    for (const [x, every] of [[gold, 1], [silver, 10]] as const) {
      const log = logs.get(x)!;
      expect(log.every(isUpdate), 'every message is an update: the result rides one').toBe(true);
      const u = log.find((a) => ((a.msg.results ?? []) as Msg[]).length > 0)!;
      expect(u.turn % every, `the result rides ${x === gold ? 'gold' : 'silver'}'s next update`).toBe(0);
      expect(u.turn).toBe(every === 1 ? sentAt + 1 : sentAt + 1 + (10 - ((sentAt + 1) % 10)));
      expect((u.msg.results as Msg[])[0]).toMatchObject({ id: 'h1', accepted: true });
    }
  });
});
