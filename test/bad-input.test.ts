// Bad input at every door: malformed set-ups, malformed orders, and orders the game does not allow.
// Each is rejected with a stable reason code and changes nothing.

import { afterEach, describe, expect, it } from 'vitest';
import { parseCommand, type Command } from '../actors/model/commands.js';
import { BattleSetupError, REASONS, type Reason } from '../actors/model/reasons.js';
import { createActorSystem, type ActorSystem } from '../actors/runtime.js';
import type { Battle } from '../actors/sector/battle.js';
import { InMemoryCommandLog } from '../actors/sector/command-log.js';
import { spawnSector, type PublishedTurn, type SectorMsg, type SubmitResult } from '../actors/sector/sector-actor.js';
import { createBattle, MAX_TEAMS, type BattleSetup, type TeamSetup } from '../actors/sector/setup.js';
import { UNIT_STATS, UnitType } from '../actors/unit/catalog.js';
import { Order } from '../actors/unit/enums.js';
import { slotOf } from '../actors/unit/world.js';
import { battleHash, cmd, idle, newBattle, turn, twoTeamSetup, unitsOf } from './helpers.js';

// ---------------------------------------------------------------- set-ups

function setupError(setup: unknown): BattleSetupError {
  let caught: unknown;
  try {
    createBattle(setup as BattleSetup);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(BattleSetupError);
  return caught as BattleSetupError;
}

function expectInvalidSetup(setup: unknown, message?: RegExp): void {
  const e = setupError(setup);
  expect(e.reason).toBe('INVALID_SETUP');
  expect(e.name).toBe('BattleSetupError');
  if (message) expect(e.message).toMatch(message);
}

const team = (name: string, id = `${name}-sc`, extra: Partial<TeamSetup> = {}): TeamSetup => ({
  name,
  players: [{ id, role: 'supreme_commander', tier: 'gold', fleet: { basic_drone: 2 } }],
  ...extra,
});

/** twoTeamSetup with Alpha's player `i` changed. */
function withAlphaPlayer(i: number, change: Record<string, unknown>): BattleSetup {
  const s = twoTeamSetup();
  s.teams[0].players[i] = { ...s.teams[0].players[i], ...change } as never;
  return s;
}

describe('malformed set-ups are refused with INVALID_SETUP', () => {
  it('the reference set-up itself is valid', () => {
    expect(() => createBattle(twoTeamSetup())).not.toThrow();
  });

  it('one team', () => {
    expectInvalidSetup({ ...twoTeamSetup(), teams: [twoTeamSetup().teams[0]] }, /2 teams/);
    expectInvalidSetup({ ...twoTeamSetup(), teams: [] });
  });

  it(`more than ${MAX_TEAMS} regular teams (independents do not count)`, () => {
    const nine = Array.from({ length: MAX_TEAMS + 1 }, (_, i) => team(`T${i}`));
    expectInvalidSetup({ ...twoTeamSetup(), teams: nine }, /at most 8 teams/);
    // the limit is exact: 8 regular teams plus an independent is allowed
    const eight = [...nine.slice(0, MAX_TEAMS), team('Lone', 'lone', { independent: true })];
    expect(createBattle({ ...twoTeamSetup(), teams: eight }).roster.teams).toHaveLength(MAX_TEAMS + 1);
  });

  it('duplicate player ids, in one team or across teams', () => {
    expectInvalidSetup(withAlphaPlayer(1, { id: 'a-sc' }), /duplicate player id a-sc/);
    expectInvalidSetup(twoTeamSetup({}, [team('Gamma', 'a-pil')]), /duplicate player id a-pil/);
  });

  it('duplicate team names', () => {
    expectInvalidSetup(twoTeamSetup({}, [team('Beta', 'x-sc')]), /duplicate team name/);
  });

  it('unknown role or tier', () => {
    expectInvalidSetup(withAlphaPlayer(1, { role: 'general' }), /unknown role/);
    expectInvalidSetup(withAlphaPlayer(1, { tier: 'platinum' }), /unknown tier/);
  });

  it('unknown unit types (escape pods cannot be fielded)', () => {
    expectInvalidSetup(withAlphaPlayer(0, { fleet: { death_star: 1 } }), /unknown unit type/);
    expectInvalidSetup(withAlphaPlayer(0, { fleet: { escape_pod: 1 } }), /unknown unit type/);
    expectInvalidSetup(withAlphaPlayer(0, { fleet: { toString: 1 } }), /unknown unit type/);
  });

  it('a fleet over the tier limit, or of a type the tier may not field', () => {
    // bronze commands at most 25 units
    expectInvalidSetup(withAlphaPlayer(3, { fleet: { basic_drone: 26 } }), /exceeds the bronze limit of 25/);
    expect(() => createBattle(withAlphaPlayer(3, { fleet: { basic_drone: 25 } }))).not.toThrow();
    expectInvalidSetup(withAlphaPlayer(3, { fleet: { destroyer: 1 } }), /may not field destroyer/);
  });

  it('negative, fractional or non-numeric unit counts', () => {
    expectInvalidSetup(withAlphaPlayer(0, { fleet: { basic_drone: -1 } }), /non-negative integer/);
    expectInvalidSetup(withAlphaPlayer(0, { fleet: { basic_drone: 1.5 } }), /non-negative integer/);
    expectInvalidSetup(withAlphaPlayer(0, { fleet: { basic_drone: NaN } }), /non-negative integer/);
    expectInvalidSetup(withAlphaPlayer(0, { fleet: { basic_drone: '3' } }), /non-negative integer/);
    expectInvalidSetup(withAlphaPlayer(0, { fleet: null }), /fleet must map/);
  });

  it('a non-integer or out-of-range seed', () => {
    for (const seed of [1.5, -1, NaN, 2 ** 32, '42']) expectInvalidSetup(twoTeamSetup({ seed } as never), /seed/);
  });

  it('an independent with two players', () => {
    const indie: TeamSetup = {
      name: 'Lone', independent: true,
      players: [
        { id: 'l1', role: 'supreme_commander', tier: 'gold', fleet: { basic_drone: 1 } },
        { id: 'l2', role: 'pilot', tier: 'gold', fleet: { basic_drone: 1 } },
      ],
    };
    expectInvalidSetup(twoTeamSetup({}, [indie]), /exactly one player/);
    expect(() => createBattle(twoTeamSetup({}, [{ ...indie, players: [indie.players[0]] }]))).not.toThrow();
  });

  it('broken chains of command and other malformed fields', () => {
    expectInvalidSetup(withAlphaPlayer(3, { captain: 'a-adm' }), /not a captain/); // pilot under an admiral
    expectInvalidSetup(withAlphaPlayer(3, { captain: 'nobody' }), /not a captain/);
    expectInvalidSetup(withAlphaPlayer(2, { admiral: 'a-cap2' }), /not an admiral/);
    expectInvalidSetup(withAlphaPlayer(1, { role: 'supreme_commander' }), /more than one supreme commander/);
    expectInvalidSetup(withAlphaPlayer(0, { credits: -5 }), /credits/);
    expectInvalidSetup(withAlphaPlayer(0, { id: '' }), /needs an id/);
    expectInvalidSetup(twoTeamSetup({ battleId: '' }), /battleId/);
    expectInvalidSetup(twoTeamSetup({ turnsPerSecond: 0 }), /turnsPerSecond/);
    expectInvalidSetup(twoTeamSetup({ sector: { width: -1, height: 100 } }), /sector.width/);
    expectInvalidSetup(twoTeamSetup({ deploySeconds: NaN }), /deploySeconds/);
    expectInvalidSetup(twoTeamSetup({ waves: { everySeconds: 10, baseUnits: 5, growth: -1 } }), /growth/);
    expectInvalidSetup({ ...twoTeamSetup(), teams: [team('A'), { name: 'B', players: [] }] }, /no players/);
    expectInvalidSetup({ ...twoTeamSetup(), teams: [team('A'), null] });
    expectInvalidSetup(null);
  });
});

// ---------------------------------------------------------------- parsing

function parseReason(raw: unknown): Reason {
  const r = parseCommand(raw);
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('parsed');
  expect(REASONS).toContain(r.reason);
  expect(typeof r.message).toBe('string');
  return r.reason;
}

const good = { id: 'g1', player: 'a-sc', kind: 'hold', scope: { team: true } };

/** Garbage and the reason code parseCommand must give for it. */
const GARBAGE: [string, unknown, Reason][] = [
  ['null', null, 'MALFORMED'],
  ['a number', 42, 'MALFORMED'],
  ['a string', 'hold everything', 'MALFORMED'],
  ['an array', [good], 'MALFORMED'],
  ['missing id', { ...good, id: undefined }, 'MALFORMED'],
  ['empty id', { ...good, id: '' }, 'MALFORMED'],
  ['numeric id', { ...good, id: 7 }, 'MALFORMED'],
  ['missing player', { ...good, player: undefined }, 'MALFORMED'],
  ['unknown order kind', { ...good, kind: 'nuke' }, 'UNKNOWN_ORDER'],
  ['missing order kind', { ...good, kind: undefined }, 'UNKNOWN_ORDER'],
  ['prototype name as kind', { ...good, kind: 'constructor' }, 'UNKNOWN_ORDER'],
  ['no scope', { ...good, scope: undefined }, 'MALFORMED'],
  ['scope not an object', { ...good, scope: 'all' }, 'MALFORMED'],
  ['empty scope', { ...good, scope: {} }, 'MALFORMED'],
  ['team:false scope', { ...good, scope: { team: false } }, 'MALFORMED'],
  ['empty unit list', { ...good, scope: { units: [] } }, 'MALFORMED'],
  ['negative unit id', { ...good, scope: { units: [-1] } }, 'MALFORMED'],
  ['fractional unit id', { ...good, scope: { units: [1.5] } }, 'MALFORMED'],
  ['duplicate unit ids', { ...good, scope: { units: [3, 3] } }, 'MALFORMED'],
  ['too many units', { ...good, scope: { units: Array.from({ length: 101 }, (_, i) => i) } }, 'MALFORMED'],
  ['move without coordinates', { id: 'm', player: 'a-sc', kind: 'move', scope: { team: true } }, 'MALFORMED'],
  ['move with string coordinates', { id: 'm', player: 'a-sc', kind: 'move', scope: { team: true }, x: '1', y: 2 }, 'MALFORMED'],
  ['move with a string speed', { id: 'm', player: 'a-sc', kind: 'move', scope: { team: true }, x: 1, y: 2, speed: 'fast' }, 'MALFORMED'],
  ['attack without a target', { id: 'a', player: 'a-sc', kind: 'attack', scope: { team: true } }, 'MALFORMED'],
  ['unknown stance', { id: 's', player: 'a-sc', kind: 'stance', scope: { team: true }, stance: 'berserk' }, 'MALFORMED'],
  ['unknown formation', { id: 'f', player: 'a-cap', kind: 'formation', squadron: 'sq-a-cap', formation: 'blob' }, 'MALFORMED'],
  ['unknown retreat mode', { id: 'r', player: 'a-pil', kind: 'retreat', mode: 'run' }, 'MALFORMED'],
  ['relation order without team', { id: 't', player: 'a-sc', kind: 'propose_truce' }, 'MALFORMED'],
];

describe('parseCommand', () => {
  it('accepts a well-formed order', () => {
    expect(parseCommand(good)).toEqual({ ok: true, command: good });
  });

  for (const [name, raw, reason] of GARBAGE) {
    it(`rejects ${name} as ${reason}`, () => {
      expect(parseReason(raw)).toBe(reason);
    });
  }
});

describe('garbage through the SectorActor', () => {
  let system: ActorSystem | undefined;
  afterEach(() => {
    system?.shutdown();
    system = undefined;
  });

  it('every malformed submission is refused with its reason, nothing is queued, and the sector keeps working', async () => {
    const crashes: unknown[] = [];
    system = createActorSystem('bad-input-test', (_actor, err) => crashes.push(err));
    const battle = newBattle();
    const twin = newBattle();
    const sector = spawnSector(system, battle, new InMemoryCommandLog());
    for (const [name, raw, reason] of [...GARBAGE, ['undefined', undefined, 'MALFORMED'] as [string, unknown, Reason]]) {
      const r = await system.ask<SectorMsg, SubmitResult>(sector, (reply) => ({ type: 'submit', command: raw, reply }));
      expect(r.queued, name).toBe(false);
      if (r.queued) continue;
      expect(r.result.ok, name).toBe(false);
      expect(r.result.reason, name).toBe(reason);
      const rawId = typeof (raw as { id?: unknown } | null)?.id === 'string' ? (raw as { id: string }).id : '';
      expect(r.result.id, name).toBe(rawId);
    }
    // nothing was queued: the next turn has no results and equals an empty turn
    const t1 = await system.ask<SectorMsg, PublishedTurn>(sector, (reply) => ({ type: 'tick', dilation: 1, reply }));
    expect(t1.results).toEqual([]);
    expect(t1.hash).toBe(turn(twin).hash);
    // the sector still takes good orders
    const ok = await system.ask<SectorMsg, SubmitResult>(sector, (reply) => ({ type: 'submit', command: { ...good, kind: 'hold', id: 'after' }, reply }));
    expect(ok).toEqual({ queued: true, turn: 2 });
    const t2 = await system.ask<SectorMsg, PublishedTurn>(sector, (reply) => ({ type: 'tick', dilation: 1, reply }));
    expect(t2.turn).toBe(2);
    expect(t2.results).toEqual([{ id: 'after', player: 'a-sc', ok: true }]);
    expect(crashes).toEqual([]);
  });

  it('well-formed but illegal orders are queued and rejected in the published turn', async () => {
    const crashes: unknown[] = [];
    system = createActorSystem('bad-input-test-2', (_actor, err) => crashes.push(err));
    const battle = newBattle();
    const twin = newBattle();
    const sector = spawnSector(system, battle, new InMemoryCommandLog());
    const own = unitsOf(battle, 'a-sc')[0];
    const commands: Command[] = [
      cmd({ player: 'a-sc', kind: 'move', scope: { units: [own] }, x: NaN, y: 5 }), // NaN passes the parser (not via JSON)
      cmd({ player: 'a-sc', kind: 'move', scope: { units: [own] }, x: 1e9, y: 5 }),
      cmd({ player: 'a-sc', kind: 'hold', scope: { units: [999_999] } }),
      cmd({ player: 'nobody', kind: 'hold', scope: { team: true } }),
    ];
    for (const c of commands) {
      const r = await system.ask<SectorMsg, SubmitResult>(sector, (reply) => ({ type: 'submit', command: c, reply }));
      expect(r.queued).toBe(true);
    }
    const t = await system.ask<SectorMsg, PublishedTurn>(sector, (reply) => ({ type: 'tick', dilation: 1, reply }));
    expect(t.results.map((r) => r.reason)).toEqual(['INVALID_COORDINATES', 'OUT_OF_BOUNDS', 'UNKNOWN_UNIT', 'UNKNOWN_PLAYER']);
    expect(t.hash).toBe(turn(twin).hash);
    expect(crashes).toEqual([]);
  });
});

// ---------------------------------------------------------------- in battle

type Arrange = (b: Battle) => void;

/** Slot of the n-th unit of a player. */
function slotOfUnit(b: Battle, player: string, n = 0): number {
  return slotOf(b.world, unitsOf(b, player)[n]);
}

/** Places a unit (by id) at (x, y), order target included so an idle unit stays put. */
function place(b: Battle, id: number, x: number, y: number): void {
  const s = slotOf(b.world, id);
  b.world.x[s] = x;
  b.world.y[s] = y;
  b.world.orderX[s] = x;
  b.world.orderY[s] = y;
}

/**
 * Two identical battles (the same arrangement applied to both); one runs the order, the twin an
 * empty turn. The order must be rejected with `reason` and leave the state exactly as the twin's.
 */
function expectRejected(arrange: Arrange, make: (b: Battle) => Command, reason: Reason): void {
  const b1 = newBattle();
  const b2 = newBattle();
  arrange(b1);
  arrange(b2);
  expect(battleHash(b1)).toBe(battleHash(b2));
  const c = make(b1);
  const o1 = turn(b1, c);
  const o2 = turn(b2);
  expect(o1.results).toEqual([{ id: c.id, player: c.player, ok: false, reason, message: expect.any(String) }]);
  expect(o1.events).toEqual(o2.events);
  expect(Array.from(o1.kernelEvents)).toEqual(Array.from(o2.kernelEvents));
  expect(o1.hash).toBe(o2.hash);
}

/** The same arrangement with a corrected order is accepted and changes the state (so the check above can fail). */
function expectAccepted(arrange: Arrange, make: (b: Battle) => Command): Battle {
  const b1 = newBattle();
  const b2 = newBattle();
  arrange(b1);
  arrange(b2);
  const c = make(b1);
  const o1 = turn(b1, c);
  const o2 = turn(b2);
  expect(o1.results).toEqual([{ id: c.id, player: c.player, ok: true }]);
  expect(o1.hash).not.toBe(o2.hash);
  return b1;
}

const nothing: Arrange = () => {};

/** A drone of a-sc and the first Beta drone. */
function pair(b: Battle): { mine: number; theirs: number } {
  const mine = unitsOf(b, 'a-sc').find((id) => b.world.type[slotOf(b.world, id)] === UnitType.BASIC_DRONE)!;
  return { mine, theirs: unitsOf(b, 'b-sc')[0] };
}

/** Puts the pair 100 apart, far from everyone else: within the drone's sensors (250), outside its weapon range (60). */
function faceOff(b: Battle): { mine: number; theirs: number } {
  const ids = pair(b);
  place(b, ids.mine, 1000, 1000);
  place(b, ids.theirs, 1100, 1000);
  return ids;
}

describe('illegal orders in battle', () => {
  it('an order for an unknown unit id: UNKNOWN_UNIT', () => {
    expectRejected(nothing, () => cmd({ player: 'a-sc', kind: 'hold', scope: { units: [999_999] } }), 'UNKNOWN_UNIT');
    // a stale generation of a live slot is unknown too
    expectRejected(nothing, (b) => cmd({ player: 'a-sc', kind: 'hold', scope: { units: [unitsOf(b, 'a-sc')[0] + (1 << 20)] } }), 'UNKNOWN_UNIT');
  });

  it("an order for someone else's unit: NOT_YOUR_UNIT", () => {
    expectRejected(nothing, (b) => cmd({ player: 'a-sc', kind: 'move', scope: { units: [unitsOf(b, 'b-sc')[0]] }, x: 10, y: 10 }), 'NOT_YOUR_UNIT');
  });

  it("a move faster than the unit type's top speed: SPEED_EXCEEDED", () => {
    const drone = UNIT_STATS[UnitType.BASIC_DRONE].speed;
    const corvette = UNIT_STATS[UnitType.CORVETTE].speed;
    expectRejected(nothing, (b) => cmd({ player: 'a-pil', kind: 'move', scope: { units: unitsOf(b, 'a-pil') }, x: 500, y: 500, speed: drone + 1 }), 'SPEED_EXCEEDED');
    const b = expectAccepted(nothing, (bb) => cmd({ player: 'a-pil', kind: 'move', scope: { units: unitsOf(bb, 'a-pil') }, x: 500, y: 500, speed: drone }));
    expect(b.world.order[slotOfUnit(b, 'a-pil')]).toBe(Order.MOVE);
    // a mixed order is limited by its slowest unit: drones could, the corvette cannot
    expectRejected(nothing, () => cmd({ player: 'a-cap', kind: 'move', scope: { squadron: 'sq-a-cap' }, x: 500, y: 500, speed: corvette + 1 }), 'SPEED_EXCEEDED');
    expectRejected(nothing, () => cmd({ player: 'a-sc', kind: 'move', scope: { team: true }, x: 500, y: 500, speed: 1000 }), 'SPEED_EXCEEDED');
  });

  it('a non-positive or non-finite speed: MALFORMED', () => {
    for (const speed of [0, -5, NaN, Infinity]) {
      expectRejected(nothing, (b) => cmd({ player: 'a-pil', kind: 'move', scope: { units: unitsOf(b, 'a-pil') }, x: 500, y: 500, speed }), 'MALFORMED');
    }
  });

  it('fire with no ammunition: NO_AMMUNITION', () => {
    const empty: Arrange = (b) => {
      const { mine } = faceOff(b);
      b.world.ammo[slotOf(b.world, mine)] = 0;
    };
    expectRejected(empty, (b) => {
      const { mine, theirs } = pair(b);
      return cmd({ player: 'a-sc', kind: 'attack', scope: { units: [mine] }, target: theirs });
    }, 'NO_AMMUNITION');
    // the same attack with ammunition is accepted
    const b = expectAccepted((bb) => { faceOff(bb); }, (bb) => {
      const { mine, theirs } = pair(bb);
      return cmd({ player: 'a-sc', kind: 'attack', scope: { units: [mine] }, target: theirs });
    });
    expect(b.world.focus[slotOf(b.world, pair(b).mine)]).toBe(pair(b).theirs);
    // one empty unit in a unit-list order fails the whole order
    expectRejected((bb) => {
      empty(bb);
      place(bb, unitsOf(bb, 'a-sc')[2], 1010, 1000);
    }, (bb) => {
      const { mine, theirs } = pair(bb);
      return cmd({ player: 'a-sc', kind: 'attack', scope: { units: [mine, unitsOf(bb, 'a-sc')[2]] }, target: theirs });
    }, 'NO_AMMUNITION');
  });

  it('NaN or infinite coordinates: INVALID_COORDINATES', () => {
    for (const [x, y] of [[NaN, 10], [10, NaN], [Infinity, 10], [10, -Infinity]]) {
      expectRejected(nothing, (b) => cmd({ player: 'a-sc', kind: 'move', scope: { units: [unitsOf(b, 'a-sc')[0]] }, x, y }), 'INVALID_COORDINATES');
      expectRejected(nothing, () => cmd({ player: 'a-sc', kind: 'attack_move', scope: { team: true }, x, y }), 'INVALID_COORDINATES');
    }
  });

  it('coordinates outside the sector: OUT_OF_BOUNDS', () => {
    const probe = newBattle();
    const { width, height } = probe.world;
    for (const [x, y] of [[-1, 10], [10, -0.5], [width + 1, 10], [10, height + 1]]) {
      expectRejected(nothing, (b) => cmd({ player: 'a-sc', kind: 'move', scope: { units: [unitsOf(b, 'a-sc')[0]] }, x, y }), 'OUT_OF_BOUNDS');
      expectRejected(nothing, () => cmd({ player: 'a-sc', kind: 'attack_move', scope: { squadron: 'sq-a-sc' }, x, y }), 'OUT_OF_BOUNDS');
    }
    // the edge itself is inside
    expectAccepted(nothing, (b) => cmd({ player: 'a-sc', kind: 'move', scope: { units: [unitsOf(b, 'a-sc')[0]] }, x: width, y: height }));
  });

  it('a move further than the fuel left: INSUFFICIENT_FUEL', () => {
    const lowFuel: Arrange = (b) => { for (const id of unitsOf(b, 'a-pil')) b.world.fuel[slotOf(b.world, id)] = 5; };
    expectRejected(lowFuel, (b) => cmd({ player: 'a-pil', kind: 'move', scope: { units: [unitsOf(b, 'a-pil')[0]] }, x: 1500, y: 1500 }), 'INSUFFICIENT_FUEL');
    expectRejected(lowFuel, (b) => cmd({ player: 'a-pil', kind: 'attack_move', scope: { units: unitsOf(b, 'a-pil') }, x: 1500, y: 1500 }), 'INSUFFICIENT_FUEL');
    // a squadron order goes ahead with the units that can make it, and fails only when none can
    const squadronDry: Arrange = (b) => { for (const id of [...unitsOf(b, 'a-cap'), ...unitsOf(b, 'a-pil')]) b.world.fuel[slotOf(b.world, id)] = 5; };
    expectRejected(squadronDry, () => cmd({ player: 'a-cap', kind: 'move', scope: { squadron: 'sq-a-cap' }, x: 1500, y: 1500 }), 'INSUFFICIENT_FUEL');
    const b = expectAccepted(lowFuel, () => cmd({ player: 'a-cap', kind: 'move', scope: { squadron: 'sq-a-cap' }, x: 1500, y: 1500 }));
    for (const id of unitsOf(b, 'a-cap')) expect(b.world.order[slotOf(b.world, id)]).toBe(Order.MOVE);
    for (const id of unitsOf(b, 'a-pil')) expect(b.world.order[slotOf(b.world, id)]).toBe(Order.IDLE);
    // enough fuel: accepted
    expectAccepted((bb) => { for (const id of unitsOf(bb, 'a-pil')) bb.world.fuel[slotOf(bb.world, id)] = 5000; },
      (bb) => cmd({ player: 'a-pil', kind: 'move', scope: { units: [unitsOf(bb, 'a-pil')[0]] }, x: 1500, y: 1500 }));
  });

  it('an attack on an own, allied-in-truce or unknown unit: TARGET_NOT_HOSTILE / TARGET_NOT_VISIBLE', () => {
    expectRejected(nothing, (b) => cmd({ player: 'a-sc', kind: 'attack', scope: { units: [unitsOf(b, 'a-sc')[0]] }, target: unitsOf(b, 'a-cap')[0] }), 'TARGET_NOT_HOSTILE');
    const truce: Arrange = (b) => {
      turn(b, cmd({ player: 'a-sc', kind: 'propose_truce', team: 'Beta' }), cmd({ player: 'b-sc', kind: 'accept_truce', team: 'Alpha' }));
      faceOff(b);
    };
    expectRejected(truce, (b) => {
      const { mine, theirs } = pair(b);
      return cmd({ player: 'a-sc', kind: 'attack', scope: { units: [mine] }, target: theirs });
    }, 'TARGET_NOT_HOSTILE');
    // no such unit: the same answer as a hidden one, so an order cannot probe past the fog of war
    expectRejected(nothing, (b) => cmd({ player: 'a-sc', kind: 'attack', scope: { units: [unitsOf(b, 'a-sc')[0]] }, target: 999_999 }), 'TARGET_NOT_VISIBLE');
  });

  it('an attack on a unit outside the ordered units\' sensors: TARGET_NOT_VISIBLE', () => {
    // at the start the two fleets are ~1700 apart; the longest sensor range in play is 450
    expectRejected(nothing, (b) => cmd({ player: 'a-sc', kind: 'attack', scope: { team: true }, target: unitsOf(b, 'b-sc')[0] }), 'TARGET_NOT_VISIBLE');
    expectRejected(nothing, (b) => cmd({ player: 'a-pil', kind: 'attack', scope: { units: unitsOf(b, 'a-pil') }, target: unitsOf(b, 'b-sc')[0] }), 'TARGET_NOT_VISIBLE');
    // just past a drone's sensor range (250)
    expectRejected((b) => {
      faceOff(b);
      place(b, unitsOf(b, 'b-sc')[0], 1251, 1000);
    }, (b) => cmd({ player: 'a-sc', kind: 'attack', scope: { units: [pair(b).mine] }, target: unitsOf(b, 'b-sc')[0] }), 'TARGET_NOT_VISIBLE');
  });
});

describe('unknown order kinds that reach the turn pipeline', () => {
  // runTurn is what replays and recovery run on a stored command log; a command that never went
  // through parseCommand (an old or corrupted log entry) must still be refused, not guessed at.
  it('an unknown order kind with a scope is rejected as UNKNOWN_ORDER and changes nothing', () => {
    expectRejected(nothing, () => cmd({ player: 'a-sc', kind: 'nuke', scope: { team: true } }), 'UNKNOWN_ORDER');
  });

  it('an unknown order kind without a scope is rejected as UNKNOWN_ORDER and changes nothing', () => {
    expectRejected(nothing, () => cmd({ player: 'a-sc', kind: 'nuke', team: 'Beta' }), 'UNKNOWN_ORDER');
    // between allies it must not be taken for anything else (such as breaking the alliance)
    const allied: Arrange = (b) => { turn(b, cmd({ player: 'a-sc', kind: 'propose_alliance', team: 'Beta' }), cmd({ player: 'b-sc', kind: 'accept_alliance', team: 'Alpha' })); };
    expectRejected(allied, () => cmd({ player: 'a-sc', kind: 'nuke', team: 'Beta' }), 'UNKNOWN_ORDER');
  });
});

describe('after the rejections', () => {
  it('a battle given every kind of bad order in one turn ends it like an empty turn, then keeps running', () => {
    const b = newBattle();
    const twin = newBattle();
    const arrange: Arrange = (bb) => {
      const { mine } = faceOff(bb);
      bb.world.ammo[slotOf(bb.world, mine)] = 0;
      bb.world.fuel[slotOfUnit(bb, 'a-pil')] = 1;
    };
    arrange(b);
    arrange(twin);
    const { mine, theirs } = pair(b);
    const own = unitsOf(b, 'a-cap')[0];
    const bad: [Command, Reason][] = [
      [cmd({ player: 'a-sc', kind: 'hold', scope: { units: [999_999] } }), 'UNKNOWN_UNIT'],
      [cmd({ player: 'a-sc', kind: 'hold', scope: { units: [theirs] } }), 'NOT_YOUR_UNIT'],
      [cmd({ player: 'a-cap', kind: 'move', scope: { units: [own] }, x: 10, y: 10, speed: 999 }), 'SPEED_EXCEEDED'],
      [cmd({ player: 'a-sc', kind: 'attack', scope: { units: [mine] }, target: theirs }), 'NO_AMMUNITION'],
      [cmd({ player: 'a-cap', kind: 'move', scope: { units: [own] }, x: NaN, y: 10 }), 'INVALID_COORDINATES'],
      [cmd({ player: 'a-cap', kind: 'move', scope: { units: [own] }, x: 10, y: -10 }), 'OUT_OF_BOUNDS'],
      [cmd({ player: 'a-pil', kind: 'move', scope: { units: [unitsOf(b, 'a-pil')[0]] }, x: 1900, y: 1900 }), 'INSUFFICIENT_FUEL'],
      [cmd({ player: 'a-sc', kind: 'attack', scope: { units: [mine] }, target: own }), 'TARGET_NOT_HOSTILE'],
      [cmd({ player: 'a-cap', kind: 'attack', scope: { units: [own] }, target: theirs }), 'TARGET_NOT_VISIBLE'],
      [cmd({ player: 'ghost', kind: 'hold', scope: { team: true } }), 'UNKNOWN_PLAYER'],
      [cmd({ player: 'a-pil', kind: 'hold', scope: { team: true } }), 'NO_AUTHORITY'],
    ];
    const o = turn(b, ...bad.map(([c]) => c));
    const o2 = turn(twin);
    expect(o.results.map((r) => r.reason)).toEqual(bad.map(([, r]) => r));
    expect(o.results.every((r) => !r.ok)).toBe(true);
    expect(o.hash).toBe(o2.hash);

    // the battle goes on: good orders are obeyed and turns advance
    const move = cmd({ player: 'a-cap', kind: 'move', scope: { squadron: 'sq-a-cap' }, x: 700, y: 700 });
    const next = turn(b, move);
    expect(next.turn).toBe(2);
    expect(next.results).toEqual([{ id: move.id, player: 'a-cap', ok: true }]);
    expect(next.hash).not.toBe(turn(twin).hash);
    const later = idle(b, 20);
    expect(later.turn).toBe(22);
    expect(b.world.x[slotOf(b.world, own)]).not.toBe(twin.world.x[slotOf(twin.world, own)]);
    const again = turn(b, ...bad.slice(0, 3).map(([c]) => ({ ...c, id: `${c.id}-again` })));
    expect(again.results.map((r) => r.reason)).toEqual(['UNKNOWN_UNIT', 'NOT_YOUR_UNIT', 'SPEED_EXCEEDED']);
  });
});
