// Chain of command: who may order which units and squadrons, through runTurn and through the actors.

import { afterEach, describe, expect, it } from 'vitest';
import type { Command } from '../actors/model/commands.js';
import type { Reason } from '../actors/model/reasons.js';
import { findSquadron } from '../actors/model/roster.js';
import { createActorSystem, type ActorSystem } from '../actors/runtime.js';
import type { Battle, BattleEvent } from '../actors/sector/battle.js';
import { InMemoryCommandLog } from '../actors/sector/command-log.js';
import { spawnSector, type PublishedTurn, type SectorMsg, type SubmitResult } from '../actors/sector/sector-actor.js';
import type { TurnOutcome } from '../actors/sector/turn.js';
import { Order } from '../actors/unit/enums.js';
import { slotOf } from '../actors/unit/world.js';
import { battleHash, cmd, newBattle, turn, unitsOf } from './helpers.js';

const ALPHA = ['a-sc', 'a-adm', 'a-cap', 'a-pil', 'a-cap2'] as const;

/** Per-unit order state of every live unit, keyed by unit id. */
function orders(b: Battle): Map<number, { order: number; x: number; y: number }> {
  const w = b.world;
  const out = new Map<number, { order: number; x: number; y: number }>();
  for (const p of b.roster.players) {
    for (const id of unitsOf(b, p.id)) {
      const s = slotOf(w, id);
      out.set(id, { order: w.order[s], x: w.orderX[s], y: w.orderY[s] });
    }
  }
  return out;
}

function orderOf(b: Battle, id: number): number {
  return b.world.order[slotOf(b.world, id)];
}

function received(o: TurnOutcome | PublishedTurn): Extract<BattleEvent, { type: 'order_received' }>[] {
  return o.events.filter((e): e is Extract<BattleEvent, { type: 'order_received' }> => e.type === 'order_received');
}

/**
 * Runs `make(b)` as the only order of a turn on one battle and an empty turn on an identical twin:
 * the order must be rejected with `reason`, and both battles must end the turn in the same state.
 */
function expectRejected(make: (b: Battle) => Command, reason: Reason): void {
  const b1 = newBattle();
  const b2 = newBattle();
  expect(battleHash(b1)).toBe(battleHash(b2));
  const c = make(b1);
  const o1 = turn(b1, c);
  const o2 = turn(b2);
  expect(o1.results).toHaveLength(1);
  expect(o1.results[0]).toMatchObject({ id: c.id, player: c.player, ok: false, reason });
  expect(typeof o1.results[0].message).toBe('string');
  expect(o1.events).toEqual(o2.events);
  expect(o1.hash).toBe(o2.hash);
}

/** The accepted counterpart: ok, and the state differs from the twin that ran no order. */
function expectAccepted(make: (b: Battle) => Command): { b: Battle; o: TurnOutcome } {
  const b = newBattle();
  const twin = newBattle();
  const c = make(b);
  const o = turn(b, c);
  const o2 = turn(twin);
  expect(o.results[0]).toEqual({ id: c.id, player: c.player, ok: true });
  expect(o.hash).not.toBe(o2.hash);
  return { b, o };
}

describe('chain of command (runTurn)', () => {
  it('every Alpha player has units and the expected squadrons exist', () => {
    const b = newBattle();
    for (const id of ALPHA) expect(unitsOf(b, id).length).toBeGreaterThan(0);
    for (const id of ['sq-a-sc', 'sq-a-adm', 'sq-a-cap', 'sq-a-cap2', 'sq-b-sc']) expect(findSquadron(b.roster, id)).toBeDefined();
    expect(findSquadron(b.roster, 'sq-a-pil')).toBeUndefined(); // the pilot flies in the captain's squadron
  });

  it("the supreme commander's team-wide order reaches every Alpha squadron and no Beta unit", () => {
    const b = newBattle();
    const before = orders(b);
    const o = turn(b, cmd({ player: 'a-sc', kind: 'move', scope: { team: true }, x: 1000, y: 1000 }));
    expect(o.results[0].ok).toBe(true);
    const after = orders(b);
    for (const pid of ALPHA) {
      for (const id of unitsOf(b, pid)) {
        expect(after.get(id)!.order, `unit ${id} of ${pid}`).toBe(Order.MOVE);
        expect(after.get(id)!.x).not.toBe(before.get(id)!.x);
        expect(Math.abs(after.get(id)!.x - 1000)).toBeLessThan(100);
        expect(Math.abs(after.get(id)!.y - 1000)).toBeLessThan(100);
      }
    }
    for (const id of unitsOf(b, 'b-sc')) expect(after.get(id)).toEqual(before.get(id));
    // every subordinate is told, once, and the issuer is not
    const to = received(o).map((e) => e.to).sort();
    expect(to).toEqual(['a-adm', 'a-cap', 'a-cap2', 'a-pil']);
    for (const e of received(o)) expect(e).toMatchObject({ from: 'a-sc', order: 'move', commandId: o.results[0].id });
  });

  it('the supreme commander may order any squadron of the team, not a Beta squadron', () => {
    for (const sq of ['sq-a-sc', 'sq-a-adm', 'sq-a-cap', 'sq-a-cap2']) {
      expectAccepted(() => cmd({ player: 'a-sc', kind: 'hold', scope: { squadron: sq } }));
    }
    expectRejected(() => cmd({ player: 'a-sc', kind: 'hold', scope: { squadron: 'sq-b-sc' } }), 'NO_AUTHORITY');
  });

  it('an admiral orders the squadrons under them', () => {
    const { b, o } = expectAccepted(() => cmd({ player: 'a-adm', kind: 'hold', scope: { squadron: 'sq-a-cap' } }));
    for (const id of [...unitsOf(b, 'a-cap'), ...unitsOf(b, 'a-pil')]) expect(orderOf(b, id)).toBe(Order.HOLD);
    for (const id of [...unitsOf(b, 'a-sc'), ...unitsOf(b, 'a-cap2'), ...unitsOf(b, 'a-adm')]) expect(orderOf(b, id)).toBe(Order.IDLE);
    expect(received(o).map((e) => e.to).sort()).toEqual(['a-cap', 'a-pil']);
    expectAccepted(() => cmd({ player: 'a-adm', kind: 'hold', scope: { squadron: 'sq-a-adm' } }));
  });

  it("an admiral may not order a captain reporting straight to the supreme, the supreme's squadron or the whole team", () => {
    expectRejected(() => cmd({ player: 'a-adm', kind: 'hold', scope: { squadron: 'sq-a-cap2' } }), 'NO_AUTHORITY');
    expectRejected(() => cmd({ player: 'a-adm', kind: 'hold', scope: { squadron: 'sq-a-sc' } }), 'NO_AUTHORITY');
    expectRejected(() => cmd({ player: 'a-adm', kind: 'hold', scope: { team: true } }), 'NO_AUTHORITY');
    expectRejected((b) => cmd({ player: 'a-adm', kind: 'hold', scope: { units: [unitsOf(b, 'a-cap2')[0]] } }), 'NO_AUTHORITY');
  });

  it("a captain orders their own squadron (the pilot's units included) but not another captain's", () => {
    const { b, o } = expectAccepted(() => cmd({ player: 'a-cap', kind: 'move', scope: { squadron: 'sq-a-cap' }, x: 500, y: 500 }));
    for (const id of [...unitsOf(b, 'a-cap'), ...unitsOf(b, 'a-pil')]) expect(orderOf(b, id)).toBe(Order.MOVE);
    expect(received(o).map((e) => e.to)).toEqual(['a-pil']);
    expectAccepted((bb) => cmd({ player: 'a-cap', kind: 'hold', scope: { units: [unitsOf(bb, 'a-pil')[0]] } }));
    expectRejected(() => cmd({ player: 'a-cap', kind: 'hold', scope: { squadron: 'sq-a-cap2' } }), 'NO_AUTHORITY');
    expectRejected((bb) => cmd({ player: 'a-cap', kind: 'hold', scope: { units: [unitsOf(bb, 'a-cap2')[0]] } }), 'NO_AUTHORITY');
    expectRejected(() => cmd({ player: 'a-cap', kind: 'hold', scope: { squadron: 'sq-a-adm' } }), 'NO_AUTHORITY');
    expectRejected(() => cmd({ player: 'a-cap', kind: 'hold', scope: { team: true } }), 'NO_AUTHORITY');
  });

  it('a pilot commands their own units only', () => {
    const { b, o } = expectAccepted((bb) => cmd({ player: 'a-pil', kind: 'hold', scope: { units: unitsOf(bb, 'a-pil') } }));
    for (const id of unitsOf(b, 'a-pil')) expect(orderOf(b, id)).toBe(Order.HOLD);
    for (const id of unitsOf(b, 'a-cap')) expect(orderOf(b, id)).toBe(Order.IDLE);
    expect(received(o)).toEqual([]); // nobody else's units: nobody is told
    expectRejected((bb) => cmd({ player: 'a-pil', kind: 'hold', scope: { units: [unitsOf(bb, 'a-cap')[0]] } }), 'NO_AUTHORITY');
    expectRejected((bb) => cmd({ player: 'a-pil', kind: 'hold', scope: { units: [unitsOf(bb, 'a-sc')[0]] } }), 'NO_AUTHORITY');
    expectRejected(() => cmd({ player: 'a-pil', kind: 'hold', scope: { squadron: 'sq-a-cap' } }), 'NO_AUTHORITY');
    expectRejected(() => cmd({ player: 'a-pil', kind: 'hold', scope: { team: true } }), 'NO_AUTHORITY');
  });

  it('an order mixing own units with one the issuer may not command is rejected whole', () => {
    expectRejected((b) => cmd({ player: 'a-pil', kind: 'hold', scope: { units: [...unitsOf(b, 'a-pil'), unitsOf(b, 'a-cap')[0]] } }), 'NO_AUTHORITY');
    expectRejected((b) => cmd({ player: 'a-sc', kind: 'hold', scope: { units: [unitsOf(b, 'a-sc')[0], unitsOf(b, 'b-sc')[0]] } }), 'NOT_YOUR_UNIT');
  });

  it("anyone ordering a Beta unit gets NOT_YOUR_UNIT", () => {
    for (const player of ALPHA) {
      expectRejected((b) => cmd({ player, kind: 'hold', scope: { units: [unitsOf(b, 'b-sc')[0]] } }), 'NOT_YOUR_UNIT');
    }
    expectRejected((b) => cmd({ player: 'b-sc', kind: 'move', scope: { units: [unitsOf(b, 'a-pil')[0]] }, x: 10, y: 10 }), 'NOT_YOUR_UNIT');
  });

  it('unknown players and unknown squadrons are rejected', () => {
    expectRejected((b) => cmd({ player: 'ghost', kind: 'hold', scope: { units: [unitsOf(b, 'a-sc')[0]] } }), 'UNKNOWN_PLAYER');
    expectRejected(() => cmd({ player: 'ghost', kind: 'hold', scope: { team: true } }), 'UNKNOWN_PLAYER');
    expectRejected(() => cmd({ player: 'a-sc', kind: 'hold', scope: { squadron: 'sq-nobody' } }), 'UNKNOWN_SQUADRON');
    expectRejected(() => cmd({ player: 'a-sc', kind: 'hold', scope: { squadron: 'sq-a-pil' } }), 'UNKNOWN_SQUADRON');
  });

  it("superiors' orders to subordinates' units notify each owning player once", () => {
    const b = newBattle();
    const capUnit = unitsOf(b, 'a-cap')[0];
    const pilUnits = unitsOf(b, 'a-pil');
    const o = turn(b,
      cmd({ player: 'a-sc', kind: 'hold', scope: { units: [capUnit, ...pilUnits] } }),
      cmd({ player: 'a-adm', kind: 'stance', scope: { squadron: 'sq-a-cap' }, stance: 'defensive' }),
      cmd({ player: 'a-cap2', kind: 'hold', scope: { squadron: 'sq-a-cap2' } }), // own units: no notice
    );
    expect(o.results.map((r) => r.ok)).toEqual([true, true, true]);
    const got = received(o).map((e) => ({ from: e.from, to: e.to, order: e.order, commandId: e.commandId }));
    expect(got).toEqual([
      { from: 'a-sc', to: 'a-cap', order: 'hold', commandId: o.results[0].id },
      { from: 'a-sc', to: 'a-pil', order: 'hold', commandId: o.results[0].id },
      { from: 'a-adm', to: 'a-cap', order: 'stance', commandId: o.results[1].id },
      { from: 'a-adm', to: 'a-pil', order: 'stance', commandId: o.results[1].id },
    ]);
  });

  it('a rejected order notifies nobody', () => {
    const b = newBattle();
    const o = turn(b, cmd({ player: 'a-adm', kind: 'hold', scope: { squadron: 'sq-a-cap2' } }));
    expect(o.results[0]).toMatchObject({ ok: false, reason: 'NO_AUTHORITY' });
    expect(received(o)).toEqual([]);
  });
});

describe('formations', () => {
  it("a captain sets their own squadron's formation", () => {
    const { b } = expectAccepted(() => cmd({ player: 'a-cap', kind: 'formation', squadron: 'sq-a-cap', formation: 'wedge' }));
    expect(findSquadron(b.roster, 'sq-a-cap')!.formation).toBe('wedge');
    expect(findSquadron(b.roster, 'sq-a-cap2')!.formation).toBe('box');
  });

  it('a pilot cannot set a formation, nor can a captain for another squadron', () => {
    expectRejected(() => cmd({ player: 'a-pil', kind: 'formation', squadron: 'sq-a-cap', formation: 'line' }), 'NO_AUTHORITY');
    expectRejected(() => cmd({ player: 'a-cap', kind: 'formation', squadron: 'sq-a-cap2', formation: 'line' }), 'NO_AUTHORITY');
    expectRejected(() => cmd({ player: 'a-cap', kind: 'formation', squadron: 'sq-b-sc', formation: 'line' }), 'NO_AUTHORITY');
    expectRejected(() => cmd({ player: 'a-adm', kind: 'formation', squadron: 'sq-a-cap2', formation: 'line' }), 'NO_AUTHORITY');
    expectRejected(() => cmd({ player: 'a-cap', kind: 'formation', squadron: 'sq-nobody', formation: 'line' }), 'UNKNOWN_SQUADRON');
    expectRejected(() => cmd({ player: 'ghost', kind: 'formation', squadron: 'sq-a-cap', formation: 'line' }), 'UNKNOWN_PLAYER');
  });

  it("an admiral and the supreme commander may set formations of squadrons under them", () => {
    expectAccepted(() => cmd({ player: 'a-adm', kind: 'formation', squadron: 'sq-a-cap', formation: 'column' }));
    expectAccepted(() => cmd({ player: 'a-sc', kind: 'formation', squadron: 'sq-a-cap2', formation: 'line' }));
  });
});

describe('chain of command through the actors', () => {
  let system: ActorSystem | undefined;
  afterEach(() => {
    system?.shutdown();
    system = undefined;
  });

  it('rejections reach the published turn with the same verdicts and hash as runTurn', async () => {
    const crashes: unknown[] = [];
    system = createActorSystem('authority-test', (_actor, err) => crashes.push(err));
    const battle = newBattle();
    const twin = newBattle();
    const sector = spawnSector(system, battle, new InMemoryCommandLog());
    const published: PublishedTurn[] = [];
    system.tell<SectorMsg>(sector, { type: 'subscribe', listener: (t) => published.push(t) });

    const capUnit = unitsOf(battle, 'a-cap')[0];
    const betaUnit = unitsOf(battle, 'b-sc')[0];
    const commands: Command[] = [
      cmd({ player: 'a-pil', kind: 'hold', scope: { units: [capUnit] } }),
      cmd({ player: 'a-adm', kind: 'hold', scope: { squadron: 'sq-a-cap2' } }),
      cmd({ player: 'a-adm', kind: 'hold', scope: { team: true } }),
      cmd({ player: 'a-adm', kind: 'hold', scope: { squadron: 'sq-a-cap' } }),
      cmd({ player: 'a-cap', kind: 'hold', scope: { squadron: 'sq-a-cap2' } }),
      cmd({ player: 'a-sc', kind: 'hold', scope: { units: [betaUnit] } }),
      cmd({ player: 'ghost', kind: 'hold', scope: { team: true } }),
      cmd({ player: 'a-sc', kind: 'hold', scope: { squadron: 'sq-nobody' } }),
      cmd({ player: 'a-pil', kind: 'formation', squadron: 'sq-a-cap', formation: 'line' }),
      cmd({ player: 'a-cap', kind: 'formation', squadron: 'sq-a-cap', formation: 'wedge' }),
      cmd({ player: 'a-sc', kind: 'move', scope: { team: true }, x: 900, y: 900 }),
    ];
    const expected: (Reason | 'ok')[] = [
      'NO_AUTHORITY', 'NO_AUTHORITY', 'NO_AUTHORITY', 'ok', 'NO_AUTHORITY', 'NOT_YOUR_UNIT', 'UNKNOWN_PLAYER', 'UNKNOWN_SQUADRON',
      'NO_AUTHORITY', 'ok', 'ok',
    ];
    for (const c of commands) {
      const r = await system.ask<SectorMsg, SubmitResult>(sector, (reply) => ({ type: 'submit', command: c, reply }));
      expect(r).toEqual({ queued: true, turn: 1 });
    }
    const t = await system.ask<SectorMsg, PublishedTurn>(sector, (reply) => ({ type: 'tick', dilation: 1, reply }));
    expect(t.turn).toBe(1);
    expect(t.dilation).toBe(1);
    expect(t.results.map((r) => r.id)).toEqual(commands.map((c) => c.id));
    expect(t.results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(expected);
    expect(published).toHaveLength(1);
    expect(published[0].results).toEqual(t.results);

    // the actor path is the same pipeline as runTurn
    const direct = turn(twin, ...commands);
    expect(direct.results).toEqual(t.results);
    expect(direct.events).toEqual(t.events);
    expect(t.hash).toBe(direct.hash);
    expect(t.hash).toBe(battleHash(battle));
    expect(findSquadron(battle.roster, 'sq-a-cap')!.formation).toBe('wedge');
    expect(received(t).some((e) => e.from === 'a-adm' && e.to === 'a-cap')).toBe(true);
    expect(crashes).toEqual([]);
  });

  it('a turn whose orders are all rejected publishes the same state as an empty turn', async () => {
    system = createActorSystem('authority-test-empty');
    const battle = newBattle();
    const twin = newBattle();
    const sector = spawnSector(system, battle, new InMemoryCommandLog());
    for (const c of [
      cmd({ player: 'a-pil', kind: 'hold', scope: { units: [unitsOf(battle, 'a-cap')[0]] } }),
      cmd({ player: 'a-adm', kind: 'stance', scope: { squadron: 'sq-a-cap2' }, stance: 'defensive' }),
      cmd({ player: 'a-cap', kind: 'move', scope: { team: true }, x: 100, y: 100 }),
    ]) {
      await system.ask<SectorMsg, SubmitResult>(sector, (reply) => ({ type: 'submit', command: c, reply }));
    }
    const t = await system.ask<SectorMsg, PublishedTurn>(sector, (reply) => ({ type: 'tick', dilation: 1, reply }));
    expect(t.results.map((r) => r.reason)).toEqual(['NO_AUTHORITY', 'NO_AUTHORITY', 'NO_AUTHORITY']);
    expect(t.hash).toBe(turn(twin).hash);
  });
});
