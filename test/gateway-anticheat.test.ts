// Anti-cheat over real sockets: every rule the gateway and the sector enforce on a client's commands
// answers with its stable reason code, changes nothing in the battle, and lands in the audit log with
// player, turn and reason; and the authentication doors close with their codes.

import { afterEach, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import type { LocalCluster } from '../gateway/local.js';
import type { LocalOptions } from '../gateway/local.js';
import { GameClient } from '../gateway/client/game-client.js';
import type { MemoryAuditLog } from '../gateway/audit.js';
import { TokenService } from '../gateway/auth/tokens.js';
import { Close, ErrorCode, GatewayReason } from '../gateway/close-codes.js';
import type { CommandResult } from '../actors/sector/turn.js';
import { generateSetup, openingOrders } from '../actors/sector/scenario.js';
import { UNIT_STATS } from '../actors/unit/catalog.js';
import { Order, Stance } from '../actors/unit/enums.js';
import { slotOf } from '../actors/unit/world.js';
import { HAND_TICKED, SECRET, closedWith, joinedClient, spectatorClient, startTestCluster, tokenFor, turns, unitIdsOf } from './gateway-helpers.js';

let cluster: LocalCluster | undefined;
const clients: GameClient[] = [];
afterEach(async () => {
  for (const cl of clients.splice(0)) cl.close();
  await cluster?.stop();
  cluster = undefined;
});

type Msg = Record<string, unknown>;

interface Rig {
  c: LocalCluster;
  /** Every result the sector resolved, by model command id (`player/clientId`). */
  sector: Map<string, CommandResult>;
  pilot: { id: string; team: number; index: number };
  client: GameClient;
  mine: number[];
}

async function rig(gateway: Partial<NonNullable<LocalOptions['gateway']>> = {}): Promise<Rig> {
  cluster = await startTestCluster({ gateway: { ...HAND_TICKED, ...gateway } });
  const c = cluster;
  const sector = new Map<string, CommandResult>();
  c.link.subscribe((f) => { for (const r of f.results) sector.set(r.id, r); });
  await turns(c, 2);
  const p = c.battle.roster.players.find((x) => x.role === 'pilot' && x.team === 0)!;
  const client = await joinedClient(c, p.id);
  clients.push(client);
  await client.waitFor(() => client.updates.length > 0, 5000, 'snapshot');
  return { c, sector, pilot: { id: p.id, team: p.team, index: p.index }, client, mine: client.welcome!.yourUnits as number[] };
}

async function resultOf(client: GameClient, id: string): Promise<Msg> {
  return client.waitFor(() => client.results.find((r) => r.id === id), 5000, `result of ${id}`);
}

/** Sends a command, runs a turn so the sector decides it, and returns the client's result. */
async function decided(r: Rig, order: Msg, id: string): Promise<Msg> {
  r.client.command(order, id);
  // the gateway answers gateway-level refusals at once; sector-level ones come with the next turn
  await new Promise((res) => setTimeout(res, 20));
  await turns(r.c, 1, [r.client]);
  return resultOf(r.client, id);
}

function auditOf(r: Rig, id: string, player = r.pilot.id) {
  return (r.c.audit as MemoryAuditLog).entries.filter((e) => e.commandId === id && e.player === player);
}

/** The command is in the audit log exactly once, with player, turn and (for a refusal) the reason. */
function expectAudited(r: Rig, id: string, accepted: boolean, reason: string | undefined, stage: 'gateway' | 'sector', turn?: number): void {
  const entries = auditOf(r, id);
  expect(entries, `audit entries for ${id}`).toHaveLength(1);
  const e = entries[0];
  expect(e.accepted).toBe(accepted);
  expect(e.stage).toBe(stage);
  expect(e.battleId).toBe(r.c.battle.config.battleId);
  expect(Number.isInteger(e.turn) && e.turn > 0).toBe(true);
  if (turn !== undefined) expect(e.turn).toBe(turn);
  if (reason !== undefined) expect(e.reason).toBe(reason);
  else expect(e.reason ?? '').toBe('');
}

function slot(r: Rig, id: number): number {
  const s = slotOf(r.c.battle.world, id);
  expect(s).toBeGreaterThanOrEqual(0);
  return s;
}

describe('gateway anti-cheat: command rules', () => {
  it('rate limit: a burst over commandsPerSecond is refused RATE_LIMITED at once and never queued', async () => {
    const r = await rig({ commandsPerSecond: 3 });
    const w = r.c.battle.world;
    const turnNow = r.c.link.latest()!.turn;
    // 3 allowed (defensive on units 0-2), then 6 over the limit (defensive on units 3-8)
    for (let k = 0; k < 9; k++) r.client.command({ stance: { scope: { units: [r.mine[k]] }, stance: Stance.DEFENSIVE } }, `burst-${k}`);
    const limited = await Promise.all([3, 4, 5, 6, 7, 8].map((k) => resultOf(r.client, `burst-${k}`)));
    for (const res of limited) {
      expect(res.accepted).toBe(false);
      expect(res.reason).toBe(GatewayReason.RATE_LIMITED);
      expect(res.turn).toBe(turnNow); // answered before any turn ran
    }
    await turns(r.c, 2, [r.client]);
    for (let k = 0; k < 3; k++) expect((await resultOf(r.client, `burst-${k}`)).accepted).toBe(true);
    // the refused ones never reached the sector and changed nothing
    for (let k = 0; k < 9; k++) {
      expect(r.sector.has(`${r.pilot.id}/burst-${k}`)).toBe(k < 3);
      expect(w.stance[slot(r, r.mine[k])]).toBe(k < 3 ? Stance.DEFENSIVE : Stance.AGGRESSIVE);
      expectAudited(r, `burst-${k}`, k < 3, k < 3 ? undefined : GatewayReason.RATE_LIMITED, k < 3 ? 'sector' : 'gateway', k < 3 ? turnNow + 1 : turnNow);
    }
    expect(r.client.results.filter((x) => String(x.id).startsWith('burst-'))).toHaveLength(9);
    // a bucket, not a ban: after a pause the client may command again
    await new Promise((res) => setTimeout(res, 700));
    expect((await decided(r, { stance: { scope: { units: [r.mine[3]] }, stance: Stance.BALANCED } }, 'after-pause')).accepted).toBe(true);
    expect(w.stance[slot(r, r.mine[3])]).toBe(Stance.BALANCED);
  });

  it('ownership: another team\'s unit is NOT_YOUR_UNIT, a teammate\'s unit is NO_AUTHORITY for a pilot', async () => {
    const r = await rig();
    const roster = r.c.battle.roster;
    const enemy = roster.players.find((p) => p.team === 1 && p.role === 'pilot')!;
    const mate = roster.players.find((p) => p.team === 0 && p.role === 'captain')!; // the pilot's own captain: above, not below it
    const enemyUnit = unitIdsOf(r.c, enemy.id)[0];
    const mateUnit = unitIdsOf(r.c, mate.id)[0];
    const w = r.c.battle.world;
    const before = [w.order[slot(r, enemyUnit)], w.orderX[slot(r, enemyUnit)], w.order[slot(r, mateUnit)], w.orderX[slot(r, mateUnit)]];

    const a = await decided(r, { move: { scope: { units: [enemyUnit] }, x: 100, y: 100 } }, 'enemy-move');
    expect(a).toMatchObject({ accepted: false, reason: 'NOT_YOUR_UNIT' });
    const b = await decided(r, { move: { scope: { units: [mateUnit] }, x: 100, y: 100 } }, 'mate-move');
    expect(b).toMatchObject({ accepted: false, reason: 'NO_AUTHORITY' });
    // mixing one own unit with a foreign one is refused as a whole
    const m = await decided(r, { hold: { scope: { units: [r.mine[0], enemyUnit] } } }, 'mixed-hold');
    expect(m).toMatchObject({ accepted: false, reason: 'NOT_YOUR_UNIT' });
    // a pilot cannot order the team or a squadron either
    const t = await decided(r, { hold: { scope: { team: true } } }, 'team-hold');
    expect(t).toMatchObject({ accepted: false, reason: 'NO_AUTHORITY' });
    const own = await decided(r, { hold: { scope: { units: [r.mine[1]] } } }, 'own-hold');
    expect(own.accepted).toBe(true);

    expect([w.order[slot(r, enemyUnit)], w.orderX[slot(r, enemyUnit)], w.order[slot(r, mateUnit)], w.orderX[slot(r, mateUnit)]]).toEqual(before);
    expect(w.order[slot(r, r.mine[0])]).not.toBe(Order.HOLD);
    expect(w.order[slot(r, r.mine[1])]).toBe(Order.HOLD);
    expectAudited(r, 'enemy-move', false, 'NOT_YOUR_UNIT', 'sector');
    expectAudited(r, 'mate-move', false, 'NO_AUTHORITY', 'sector');
    expectAudited(r, 'mixed-hold', false, 'NOT_YOUR_UNIT', 'sector');
    expectAudited(r, 'team-hold', false, 'NO_AUTHORITY', 'sector');
    expectAudited(r, 'own-hold', true, undefined, 'sector');
  });

  it('movement: faster than the unit\'s top speed is SPEED_EXCEEDED, outside the sector is OUT_OF_BOUNDS', async () => {
    const r = await rig();
    const w = r.c.battle.world;
    const u = r.mine[0];
    const top = UNIT_STATS[w.type[slot(r, u)]].speed;
    const x0 = w.x[slot(r, u)], y0 = w.y[slot(r, u)];
    const fast = await decided(r, { move: { scope: { units: [u] }, x: x0 + 50, y: y0, speed: top + 1 } }, 'too-fast');
    expect(fast).toMatchObject({ accepted: false, reason: 'SPEED_EXCEEDED' });
    const outX = await decided(r, { move: { scope: { units: [u] }, x: w.width + 500, y: y0 } }, 'out-x');
    expect(outX).toMatchObject({ accepted: false, reason: 'OUT_OF_BOUNDS' });
    const outY = await decided(r, { attackMove: { scope: { units: [u] }, x: x0, y: -1 } }, 'out-y');
    expect(outY).toMatchObject({ accepted: false, reason: 'OUT_OF_BOUNDS' });
    expect(w.order[slot(r, u)]).toBe(Order.IDLE);
    const ok = await decided(r, { move: { scope: { units: [u] }, x: x0 + 50, y: y0, speed: top } }, 'top-speed');
    expect(ok.accepted).toBe(true);
    expect(w.order[slot(r, u)]).toBe(Order.MOVE);
    expectAudited(r, 'too-fast', false, 'SPEED_EXCEEDED', 'sector');
    expectAudited(r, 'out-x', false, 'OUT_OF_BOUNDS', 'sector');
    expectAudited(r, 'out-y', false, 'OUT_OF_BOUNDS', 'sector');
    expectAudited(r, 'top-speed', true, undefined, 'sector');
  });

  it('weapons: attacking a unit outside the ordered units\' sensors is TARGET_NOT_VISIBLE', async () => {
    const r = await rig();
    const w = r.c.battle.world;
    const u = r.mine[0];
    // the fleets start in opposite corners, far beyond any sensor
    const far = unitIdsOf(r.c, r.c.battle.roster.players.find((p) => p.team === 2)!.id)[0];
    const d = Math.hypot(w.x[slot(r, far)] - w.x[slot(r, u)], w.y[slot(r, far)] - w.y[slot(r, u)]);
    expect(d).toBeGreaterThan(UNIT_STATS[w.type[slot(r, u)]].sensorRange);
    const res = await decided(r, { attack: { scope: { units: [u] }, target: far } }, 'blind-shot');
    expect(res).toMatchObject({ accepted: false, reason: 'TARGET_NOT_VISIBLE' });
    expect(w.order[slot(r, u)]).toBe(Order.IDLE);
    expectAudited(r, 'blind-shot', false, 'TARGET_NOT_VISIBLE', 'sector');
  });

  it('fuel: a move longer than the unit\'s fuel is INSUFFICIENT_FUEL', async () => {
    const r = await rig();
    const w = r.c.battle.world;
    const [u, v] = r.mine;
    w.fuel[slot(r, u)] = 1;
    const res = await decided(r, { move: { scope: { units: [u] }, x: w.width / 2, y: w.height / 2 } }, 'dry-move');
    expect(res).toMatchObject({ accepted: false, reason: 'INSUFFICIENT_FUEL' });
    expect(w.order[slot(r, u)]).toBe(Order.IDLE);
    expect(w.fuel[slot(r, u)]).toBe(1);
    const ok = await decided(r, { move: { scope: { units: [v] }, x: w.width / 2, y: w.height / 2 } }, 'fuelled-move');
    expect(ok.accepted).toBe(true);
    expectAudited(r, 'dry-move', false, 'INSUFFICIENT_FUEL', 'sector');
    expectAudited(r, 'fuelled-move', true, undefined, 'sector');
  });

  it('ammunition: an attack by a unit with no rounds left is NO_AMMUNITION', async () => {
    const setup = generateSetup({ teams: 4, units: 1600, seed: 21 });
    cluster = await startTestCluster({ gateway: HAND_TICKED }, setup);
    const c = cluster;
    const sector = new Map<string, CommandResult>();
    c.link.subscribe((f) => { for (const x of f.results) sector.set(x.id, x); });
    await turns(c, 1);
    for (const o of openingOrders(setup, c.battle.world.width, c.battle.world.height)) await c.link.submit(o);
    const p = c.battle.roster.players.find((x) => x.role === 'pilot' && x.team === 0)!;
    const client = await joinedClient(c, p.id);
    clients.push(client);
    const r: Rig = { c, sector, pilot: { id: p.id, team: p.team, index: p.index }, client, mine: client.welcome!.yourUnits as number[] };
    const w = c.battle.world;
    // run the battle until one of the pilot's armed units has a hostile well inside its sensors
    let pair: [number, number] | undefined;
    for (let t = 0; t < 300 && !pair; t++) {
      await turns(c, 1, [client]);
      for (const u of unitIdsOf(c, p.id)) {
        const s = slotOf(w, u);
        if (UNIT_STATS[w.type[s]].damage === 0) continue;
        const range = UNIT_STATS[w.type[s]].sensorRange - 60;
        for (let h = 0; h < w.highWater && !pair; h++) {
          if (w.alive[h] === 0 || w.team[h] === p.team || w.type[h] === 7 || w.activeAt[h] > w.turn) continue;
          if (Math.hypot(w.x[h] - w.x[s], w.y[h] - w.y[s]) < range) pair = [u, (w.gen[h] << 20) | h];
        }
        if (pair) break;
      }
    }
    expect(pair, 'contact with the enemy').toBeDefined();
    const [u, target] = pair!;
    w.ammo[slot(r, u)] = 0;
    const res = await decided(r, { attack: { scope: { units: [u] }, target } }, 'empty-guns');
    expect(res).toMatchObject({ accepted: false, reason: 'NO_AMMUNITION' });
    expect(w.focus[slot(r, u)]).not.toBe(target);
    expectAudited(r, 'empty-guns', false, 'NO_AMMUNITION', 'sector');
  });

  it('timing window: a command from too long ago is STALE_COMMAND, one from the future FUTURE_COMMAND', async () => {
    const r = await rig({ pastTurns: 5, futureTurns: 3 });
    await turns(r.c, 20, [r.client]);
    const now = r.c.link.latest()!.turn;
    const order = (k: number) => ({ stance: { scope: { units: [r.mine[k]] }, stance: Stance.BALANCED } });
    r.client.command(order(0), 'stale', now - 6);
    r.client.command(order(1), 'future', now + 4);
    r.client.command(order(2), 'oldest-ok', now - 5);
    r.client.command(order(3), 'newest-ok', now + 3);
    const stale = await resultOf(r.client, 'stale');
    const future = await resultOf(r.client, 'future');
    expect(stale).toMatchObject({ accepted: false, reason: GatewayReason.STALE, turn: now });
    expect(future).toMatchObject({ accepted: false, reason: GatewayReason.FUTURE, turn: now });
    await turns(r.c, 1, [r.client]);
    expect((await resultOf(r.client, 'oldest-ok')).accepted).toBe(true);
    expect((await resultOf(r.client, 'newest-ok')).accepted).toBe(true);
    const w = r.c.battle.world;
    expect([0, 1, 2, 3].map((k) => w.stance[slot(r, r.mine[k])])).toEqual([Stance.AGGRESSIVE, Stance.AGGRESSIVE, Stance.BALANCED, Stance.BALANCED]);
    expect(r.sector.has(`${r.pilot.id}/stale`) || r.sector.has(`${r.pilot.id}/future`)).toBe(false);
    expectAudited(r, 'stale', false, GatewayReason.STALE, 'gateway', now);
    expectAudited(r, 'future', false, GatewayReason.FUTURE, 'gateway', now);
    expectAudited(r, 'oldest-ok', true, undefined, 'sector', now + 1);
    expectAudited(r, 'newest-ok', true, undefined, 'sector', now + 1);
  });

  it('a repeated command id is DUPLICATE_COMMAND and applied once', async () => {
    const r = await rig();
    const w = r.c.battle.world;
    r.client.command({ stance: { scope: { units: [r.mine[0]] }, stance: Stance.DEFENSIVE } }, 'twice');
    r.client.command({ stance: { scope: { units: [r.mine[1]] }, stance: Stance.DEFENSIVE } }, 'twice');
    await r.client.waitFor(() => r.client.results.some((x) => x.id === 'twice'), 5000, 'duplicate refusal');
    expect(r.client.results.find((x) => x.id === 'twice')).toMatchObject({ accepted: false, reason: GatewayReason.DUPLICATE });
    await turns(r.c, 1, [r.client]);
    await r.client.waitFor(() => r.client.results.filter((x) => x.id === 'twice').length === 2, 5000, 'first result');
    expect(r.client.results.filter((x) => x.id === 'twice').map((x) => x.accepted)).toEqual([false, true]);
    expect(w.stance[slot(r, r.mine[0])]).toBe(Stance.DEFENSIVE);
    expect(w.stance[slot(r, r.mine[1])]).toBe(Stance.AGGRESSIVE);
    // the id stays used: a later repeat is refused too
    await turns(r.c, 3, [r.client]);
    const again = r.client.results.length;
    r.client.command({ stance: { scope: { units: [r.mine[1]] }, stance: Stance.DEFENSIVE } }, 'twice');
    await r.client.waitFor(() => r.client.results.length > again, 5000, 'late duplicate');
    expect(r.client.results[again]).toMatchObject({ id: 'twice', accepted: false, reason: GatewayReason.DUPLICATE });
    const entries = auditOf(r, 'twice');
    expect(entries.map((e) => [e.stage, e.accepted, e.reason ?? ''])).toEqual(
      expect.arrayContaining([['gateway', false, GatewayReason.DUPLICATE], ['sector', true, ''], ['gateway', false, GatewayReason.DUPLICATE]]));
    expect(entries).toHaveLength(3);
  });

  it('spectators never command: SPECTATOR_CANNOT_COMMAND; a player token cannot join as a spectator', async () => {
    const r = await rig();
    const spec = await spectatorClient(r.c, 'fan-7');
    clients.push(spec);
    spec.command({ hold: { scope: { units: [r.mine[0]] } } }, 'sneaky');
    const res = await resultOf(spec, 'sneaky');
    expect(res).toMatchObject({ accepted: false, reason: GatewayReason.SPECTATOR });
    // a real player of the battle may not watch as a spectator (it would see past the fog), nor command from there
    const mate = r.c.battle.roster.players.find((p) => p.team === 0 && p.role === 'captain')!;
    const watcher = await GameClient.connect(r.c.url);
    clients.push(watcher);
    watcher.hello(await tokenFor(r.c, { player: mate.id, team: 'Alpha', role: 'captain' }));
    watcher.join(r.c.battle.config.battleId, { spectator: true });
    await watcher.waitFor(() => watcher.errors.length > 0, 5000, 'join refused');
    expect(watcher.errors[0]).toMatchObject({ code: 'JOIN_REFUSED' });
    expect(watcher.welcome).toBeNull();
    watcher.command({ hold: { scope: { units: [r.mine[0]] } } }, 'watcher-order');
    expect(await resultOf(watcher, 'watcher-order')).toMatchObject({ accepted: false, reason: GatewayReason.NOT_IN_BATTLE });
    await turns(r.c, 2, [r.client]);
    expect(r.c.battle.world.order[slot(r, r.mine[0])]).toBe(Order.IDLE);
    const audit = (r.c.audit as MemoryAuditLog).entries;
    expect(audit.filter((e) => e.commandId === 'sneaky')).toEqual([expect.objectContaining({ player: 'fan-7', accepted: false, reason: GatewayReason.SPECTATOR, stage: 'gateway' })]);
    expect(audit.filter((e) => e.commandId === 'watcher-order')).toEqual([expect.objectContaining({ player: mate.id, accepted: false, reason: GatewayReason.NOT_IN_BATTLE })]);
    expect([...r.sector.keys()].some((k) => k.endsWith('/sneaky') || k.endsWith('/watcher-order'))).toBe(false);
  });

  it('the audit log holds every command a client sent, accepted or rejected, with player, turn and reason', async () => {
    const r = await rig({ pastTurns: 5 });
    const enemy = unitIdsOf(r.c, r.c.battle.roster.players.find((p) => p.team === 3)!.id)[0];
    const sent: [string, boolean, string][] = [
      ['a-ok', true, ''],
      ['a-enemy', false, 'NOT_YOUR_UNIT'],
      ['a-bounds', false, 'OUT_OF_BOUNDS'],
      ['a-stale', false, GatewayReason.STALE],
      ['a-noorder', false, 'MALFORMED'],
      ['a-unknown', false, 'UNKNOWN_UNIT'],
    ];
    await turns(r.c, 10, [r.client]);
    const now = r.c.link.latest()!.turn;
    r.client.command({ stance: { scope: { units: [r.mine[0]] }, stance: Stance.BALANCED } }, 'a-ok');
    r.client.command({ hold: { scope: { units: [enemy] } } }, 'a-enemy');
    r.client.command({ move: { scope: { units: [r.mine[1]] }, x: -10, y: 10 } }, 'a-bounds');
    r.client.command({ hold: { scope: { units: [r.mine[2]] } } }, 'a-stale', 1);
    r.client.command({}, 'a-noorder');
    r.client.command({ hold: { scope: { units: [999_999] } } }, 'a-unknown');
    await r.client.waitFor(() => r.client.results.filter((x) => String(x.id).startsWith('a-')).length >= 2, 5000, 'gateway refusals');
    await turns(r.c, 1, [r.client]);
    await r.client.waitFor(() => r.client.results.filter((x) => String(x.id).startsWith('a-')).length === sent.length, 5000, 'all results');
    const audit = (r.c.audit as MemoryAuditLog).entries.filter((e) => e.commandId.startsWith('a-'));
    expect(audit).toHaveLength(sent.length);
    for (const [id, accepted, reason] of sent) {
      const res = r.client.results.find((x) => x.id === id)!;
      expect(res.accepted, id).toBe(accepted);
      expect(res.reason, id).toBe(reason);
      const e = audit.find((x) => x.commandId === id)!;
      expect(e, id).toBeDefined();
      expect(e.player).toBe(r.pilot.id);
      expect(e.accepted, id).toBe(accepted);
      expect(e.reason ?? '', id).toBe(reason);
      expect(e.turn, id).toBe(e.stage === 'gateway' ? now : now + 1);
      expect(e.at).toBeGreaterThan(0);
    }
  });
});

describe('gateway anti-cheat: authentication', () => {
  const claims = { tier: 'gold', spectator: false, team: 'Alpha', role: 'pilot' };

  it('a token signed with another secret closes the connection with 4002', async () => {
    cluster = await startTestCluster({ gateway: HAND_TICKED });
    await turns(cluster, 1);
    const forger = new TokenService('not-the-gateway-secret-not-the-gateway-secret');
    const client = await GameClient.connect(cluster.url);
    clients.push(client);
    client.hello(await forger.mint({ player: 'alpha-pilot-3', tier: 'gold', spectator: false, team: 'Alpha', role: 'pilot' }, 600));
    client.join(cluster.battle.config.battleId);
    expect((await closedWith(client)).code).toBe(Close.TOKEN_INVALID);
    expect(client.welcome).toBeNull();
    // garbage and an alg=none token are refused the same way
    for (const token of ['not.a.jwt', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`]) {
      const other = await GameClient.connect(cluster.url);
      clients.push(other);
      other.hello(token);
      expect((await closedWith(other)).code).toBe(Close.TOKEN_INVALID);
    }
  });

  it('an expired token closes the connection with 4003, in Hello and in Resume', async () => {
    cluster = await startTestCluster({ gateway: HAND_TICKED });
    await turns(cluster, 1);
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject('alpha-pilot-3').setIssuer('sectorwars')
      .setIssuedAt(now - 100).setExpirationTime(now - 10).sign(new TextEncoder().encode(SECRET));
    // the same token, unexpired, is accepted (so only the expiry differs)
    const valid = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject('alpha-pilot-3').setIssuer('sectorwars')
      .setIssuedAt(now - 100).setExpirationTime(now + 600).sign(new TextEncoder().encode(SECRET));
    expect((await cluster.tokens.verify(valid)).ok).toBe(true);
    const client = await GameClient.connect(cluster.url);
    clients.push(client);
    client.hello(expired);
    expect((await closedWith(client)).code).toBe(Close.TOKEN_EXPIRED);
    const resumer = await GameClient.connect(cluster.url);
    clients.push(resumer);
    resumer.send({ resume: { sessionId: 'whatever', token: expired, lastAckedTurn: 0 } });
    expect((await closedWith(resumer)).code).toBe(Close.TOKEN_EXPIRED);
  });

  it('no Hello within helloTimeoutMs closes with 4001, and so does an empty token', async () => {
    cluster = await startTestCluster({ gateway: { ...HAND_TICKED, helloTimeoutMs: 300 } });
    const silent = await GameClient.connect(cluster.url);
    clients.push(silent);
    const t0 = Date.now();
    expect((await closedWith(silent, 3000)).code).toBe(Close.TOKEN_MISSING);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    const empty = await GameClient.connect(cluster.url);
    clients.push(empty);
    empty.hello('');
    expect((await closedWith(empty, 3000)).code).toBe(Close.TOKEN_MISSING);
    // a client that says Hello in time is not closed by the timer
    const polite = await GameClient.connect(cluster.url);
    clients.push(polite);
    polite.hello(await tokenFor(cluster, { player: 'alpha-pilot-3', team: 'Alpha', role: 'pilot' }));
    await new Promise((res) => setTimeout(res, 600));
    expect(polite.closed).toBeNull();
  });

  it('a player token whose team does not match the roster gets TEAM_MISMATCH and is not attached', async () => {
    cluster = await startTestCluster({ gateway: HAND_TICKED });
    await turns(cluster, 1);
    const c = cluster;
    const client = await GameClient.connect(c.url);
    clients.push(client);
    client.hello(await tokenFor(c, { player: 'alpha-pilot-3', team: 'Beta', role: 'pilot' }));
    client.join(c.battle.config.battleId);
    const err = await client.waitFor(() => client.errors.find((e) => e.code === ErrorCode.TEAM_MISMATCH), 5000, 'TEAM_MISMATCH');
    expect(err.code).toBe('TEAM_MISMATCH');
    await turns(c, 2);
    expect(client.welcome).toBeNull();
    expect(client.updates).toEqual([]);
    client.command({ hold: { scope: { units: [unitIdsOf(c, 'alpha-pilot-3')[0]] } } }, 'mismatch-order');
    expect(await resultOf(client, 'mismatch-order')).toMatchObject({ accepted: false, reason: GatewayReason.NOT_IN_BATTLE });
  });
});
