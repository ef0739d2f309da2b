// Diplomacy: truces, alliances and betrayal. Teams at peace hold fire; breaking the peace costs reputation.

import { describe, expect, it } from 'vitest';
import type { Command } from '../actors/model/commands.js';
import type { Reason } from '../actors/model/reasons.js';
import { findTeam } from '../actors/model/roster.js';
import { BETRAYAL_PENALTY } from '../actors/sector/apply.js';
import type { Battle, BattleEvent } from '../actors/sector/battle.js';
import type { TeamSetup } from '../actors/sector/setup.js';
import type { TurnOutcome } from '../actors/sector/turn.js';
import { EventKind, Relation } from '../actors/unit/enums.js';
import { relation, slotOf, unitId } from '../actors/unit/world.js';
import { battleHash, cmd, newBattle, turn, unitsOf } from './helpers.js';

const ALPHA = 0, BETA = 1, GAMMA = 2;

const GAMMA_TEAM: TeamSetup = { name: 'Gamma', players: [{ id: 'g-sc', role: 'supreme_commander', tier: 'gold', fleet: { basic_drone: 10 } }] };

const propose = (player: string, team: string, kind: 'truce' | 'alliance' = 'truce') => cmd({ player, kind: `propose_${kind}`, team });
const accept = (player: string, team: string, kind: 'truce' | 'alliance' = 'truce') => cmd({ player, kind: `accept_${kind}`, team });
const breakOff = (player: string, team: string, kind: 'truce' | 'alliance' = 'truce') => cmd({ player, kind: `break_${kind}`, team });

function ok(o: TurnOutcome): void {
  expect(o.results.filter((r) => !r.ok)).toEqual([]);
}

function eventsOf<T extends BattleEvent['type']>(o: TurnOutcome, type: T): Extract<BattleEvent, { type: T }>[] {
  return o.events.filter((e): e is Extract<BattleEvent, { type: T }> => e.type === type);
}

/** Both directions of the relation between two teams (they must agree). */
function rel(b: Battle, a: number, c: number): number {
  expect(relation(b.world, a, c)).toBe(relation(b.world, c, a));
  return relation(b.world, a, c);
}

/**
 * Packs every live unit of the given teams into one tight block around (1000, 1000), team by team in
 * interleaved columns 10 apart, so each unit has enemies well inside a drone's 60 weapon range.
 */
function cluster(b: Battle, teams: number[]): void {
  const w = b.world;
  const byTeam = teams.map((t) => {
    const out: number[] = [];
    for (let s = 0; s < w.highWater; s++) if (w.alive[s] === 1 && w.team[s] === t) out.push(s);
    return out;
  });
  byTeam.forEach((slots, k) => {
    slots.forEach((s, i) => {
      const x = 1000 + ((i % 4) * teams.length + k) * 10;
      const y = 1000 + Math.floor(i / 4) * 10;
      w.x[s] = x; w.y[s] = y; w.orderX[s] = x; w.orderY[s] = y;
    });
  });
}

/** Live units' hull and shields, by unit id. */
function health(b: Battle): Map<number, [number, number]> {
  const w = b.world;
  const out = new Map<number, [number, number]>();
  for (let s = 0; s < w.highWater; s++) if (w.alive[s] === 1) out.set(unitId(w, s), [w.hull[s], w.shield[s]]);
  return out;
}

interface Hit { victimTeam: number; attackerTeam: number; damage: number }

/** Runs `n` turns and returns every DAMAGED kernel event, with the teams involved (looked up before each turn). */
function fight(b: Battle, n: number, commands: Command[] = []): Hit[] {
  const hits: Hit[] = [];
  for (let i = 0; i < n; i++) {
    const teamOf = new Map<number, number>();
    for (let s = 0; s < b.world.highWater; s++) if (b.world.alive[s] === 1) teamOf.set(unitId(b.world, s), b.world.team[s]);
    const o = turn(b, ...(i === 0 ? commands : []));
    if (i === 0) ok(o);
    const ev = o.kernelEvents; // valid until the next turn: read it now
    for (let k = 0; k + 3 < ev.length; k += 4) {
      if (ev[k] !== EventKind.DAMAGED) continue;
      hits.push({ victimTeam: teamOf.get(ev[k + 1])!, attackerTeam: teamOf.get(ev[k + 2])!, damage: ev[k + 3] });
    }
  }
  return hits;
}

const between = (hits: Hit[], a: number, c: number) =>
  hits.filter((h) => (h.victimTeam === a && h.attackerTeam === c) || (h.victimTeam === c && h.attackerTeam === a));

/** A battle where Alpha and Beta agreed a truce (or alliance) at turns 1-2. */
function atPeace(kind: 'truce' | 'alliance', extraTeams: TeamSetup[] = []): Battle {
  const b = newBattle({}, extraTeams);
  ok(turn(b, propose('a-sc', 'Beta', kind)));
  ok(turn(b, accept('b-sc', 'Alpha', kind)));
  return b;
}

/**
 * Runs `c` on a battle prepared by `prepare`, and an empty turn on an identical twin: `c` must be
 * rejected with `reason`, and the two battles must end the turn in the same state.
 */
function expectRejected(prepare: () => Battle, make: (b: Battle) => Command, reason: Reason): void {
  const b1 = prepare();
  const b2 = prepare();
  expect(battleHash(b1)).toBe(battleHash(b2));
  const c = make(b1);
  const o1 = turn(b1, c);
  const o2 = turn(b2);
  expect(o1.results).toEqual([{ id: c.id, player: c.player, ok: false, reason, message: expect.any(String) }]);
  expect(o1.events).toEqual(o2.events);
  expect(o1.hash).toBe(o2.hash);
}

describe('control: hostile fleets in contact fight', () => {
  it('Alpha and Beta packed together damage each other within a few turns', () => {
    const b = newBattle();
    expect(rel(b, ALPHA, BETA)).toBe(Relation.HOSTILE);
    cluster(b, [ALPHA, BETA]);
    const before = health(b);
    const hits = fight(b, 5);
    expect(between(hits, ALPHA, BETA).length).toBeGreaterThan(0);
    expect([...health(b)].some(([id, h]) => before.get(id) && before.get(id)![0] + before.get(id)![1] > h[0] + h[1])).toBe(true);
  });
});

describe('truce', () => {
  it('a proposal alone changes nothing on the field, and an acceptance sets the truce both ways', () => {
    const b = newBattle();
    const o1 = turn(b, propose('a-sc', 'Beta'));
    ok(o1);
    expect(eventsOf(o1, 'proposal')).toEqual([{ type: 'proposal', kind: 'truce', from: 'Alpha', to: 'Beta' }]);
    expect(eventsOf(o1, 'relation_changed')).toEqual([]);
    expect(rel(b, ALPHA, BETA)).toBe(Relation.HOSTILE);
    expect(b.roster.proposals).toEqual([{ from: ALPHA, to: BETA, kind: 'truce' }]);

    const o2 = turn(b, accept('b-sc', 'Alpha'));
    ok(o2);
    expect(eventsOf(o2, 'relation_changed')).toEqual([{ type: 'relation_changed', teams: ['Beta', 'Alpha'], relation: 'truce' }]);
    expect(rel(b, ALPHA, BETA)).toBe(Relation.TRUCE);
    expect(b.roster.proposals).toEqual([]); // the proposal is used up
    expect(findTeam(b.roster, 'Alpha')!.reputation).toBe(100);
  });

  it('a proposal and its acceptance in the same turn take effect in log order', () => {
    const b = newBattle();
    const o = turn(b, propose('a-sc', 'Beta'), accept('b-sc', 'Alpha'));
    ok(o);
    expect(rel(b, ALPHA, BETA)).toBe(Relation.TRUCE);
    // the other way round the acceptance comes first and finds nothing to accept
    const b2 = newBattle();
    const o2 = turn(b2, accept('b-sc', 'Alpha'), propose('a-sc', 'Beta'));
    expect(o2.results.map((r) => r.reason ?? 'ok')).toEqual(['NO_PROPOSAL', 'ok']);
    expect(rel(b2, ALPHA, BETA)).toBe(Relation.HOSTILE);
  });

  it('fleets in truce hold fire; a betrayal costs reputation and the fighting resumes', () => {
    const b = atPeace('truce');
    expect(rel(b, ALPHA, BETA)).toBe(Relation.TRUCE);
    cluster(b, [ALPHA, BETA]);
    const before = health(b);
    const quiet = fight(b, 30);
    expect(quiet).toEqual([]);
    expect(health(b)).toEqual(before);
    // an explicit attack order is refused too
    const attack = cmd({ player: 'a-sc', kind: 'attack', scope: { units: [unitsOf(b, 'a-sc')[0]] }, target: unitsOf(b, 'b-sc')[0] });
    const refused = turn(b, attack);
    expect(refused.results[0]).toMatchObject({ ok: false, reason: 'TARGET_NOT_HOSTILE' });
    expect(health(b)).toEqual(before);

    const betray = breakOff('a-sc', 'Beta');
    const teamOf = new Map<number, number>();
    for (let s = 0; s < b.world.highWater; s++) if (b.world.alive[s] === 1) teamOf.set(unitId(b.world, s), b.world.team[s]);
    const o = turn(b, betray);
    expect(o.results).toEqual([{ id: betray.id, player: 'a-sc', ok: true }]);
    expect(eventsOf(o, 'relation_changed')).toEqual([{ type: 'relation_changed', teams: ['Alpha', 'Beta'], relation: 'hostile' }]);
    expect(eventsOf(o, 'betrayal')).toEqual([{ type: 'betrayal', by: 'Alpha', against: 'Beta', reputation: 100 - BETRAYAL_PENALTY }]);
    expect(findTeam(b.roster, 'Alpha')!.reputation).toBe(100 - BETRAYAL_PENALTY);
    expect(findTeam(b.roster, 'Beta')!.reputation).toBe(100); // the betrayed keep theirs
    expect(rel(b, ALPHA, BETA)).toBe(Relation.HOSTILE);

    const hits = fight(b, 10);
    expect(between(hits, ALPHA, BETA).length).toBeGreaterThan(0);
    expect(hits.every((h) => h.damage > 0)).toBe(true);
  });

  it('orders are applied in log order: an attack right after the break in the same turn is accepted, right before it refused', () => {
    const b = atPeace('truce');
    cluster(b, [ALPHA, BETA]);
    const mine = unitsOf(b, 'a-sc')[0], theirs = unitsOf(b, 'b-sc')[0];
    const attack = () => cmd({ player: 'a-sc', kind: 'attack', scope: { units: [mine] }, target: theirs });
    const o = turn(b, attack(), breakOff('a-sc', 'Beta'), attack());
    expect(o.results.map((r) => r.reason ?? 'ok')).toEqual(['TARGET_NOT_HOSTILE', 'ok', 'ok']);
    expect(b.world.focus[slotOf(b.world, mine)]).toBe(theirs);
  });

  it('a truce agreed in the middle of a fight stops the fire at once, focus-fire orders included', () => {
    const b = newBattle();
    cluster(b, [ALPHA, BETA]);
    // Alpha's drones focus a Beta unit; everyone else picks targets on their own
    const focus = cmd({ player: 'a-sc', kind: 'attack', scope: { units: unitsOf(b, 'a-sc') }, target: unitsOf(b, 'b-sc')[0] });
    expect(between(fight(b, 4, [focus]), ALPHA, BETA).length).toBeGreaterThan(0);
    const w = b.world;
    let targeting = 0;
    for (let s = 0; s < w.highWater; s++) if (w.alive[s] === 1 && w.target[s] >= 0) targeting++;
    expect(targeting).toBeGreaterThan(0); // units hold targets when the truce comes
    ok(turn(b, propose('a-sc', 'Beta')));
    const before = health(b);
    const hits = fight(b, 20, [accept('b-sc', 'Alpha')]); // the acceptance applies before that turn's fire
    expect(between(hits, ALPHA, BETA)).toEqual([]);
    // no one was hit after the acceptance (shields may only recharge)
    for (const [id, [hull, shield]] of health(b)) {
      const was = before.get(id);
      if (!was) continue;
      expect(hull).toBe(was[0]);
      expect(shield).toBeGreaterThanOrEqual(was[1]);
    }
  });

  it('a betrayal is paid once per break: breaking twice is refused, and the betrayed cannot re-accept the used proposal', () => {
    const b = atPeace('truce');
    ok(turn(b, breakOff('a-sc', 'Beta')));
    expect(findTeam(b.roster, 'Alpha')!.reputation).toBe(100 - BETRAYAL_PENALTY);
    const prepare = () => {
      const bb = atPeace('truce');
      ok(turn(bb, breakOff('a-sc', 'Beta')));
      return bb;
    };
    expectRejected(prepare, () => breakOff('a-sc', 'Beta'), 'NOT_IN_TRUCE');
    expectRejected(prepare, () => accept('b-sc', 'Alpha'), 'NO_PROPOSAL');
  });

  it('the betrayed side may break a truce too, and pays for it', () => {
    const b = atPeace('truce');
    const o = turn(b, breakOff('b-sc', 'Alpha'));
    ok(o);
    expect(eventsOf(o, 'betrayal')).toEqual([{ type: 'betrayal', by: 'Beta', against: 'Alpha', reputation: 100 - BETRAYAL_PENALTY }]);
    expect(findTeam(b.roster, 'Alpha')!.reputation).toBe(100);
    expect(rel(b, ALPHA, BETA)).toBe(Relation.HOSTILE);
  });

  it('a truce between two teams does not protect a third', () => {
    const b = atPeace('truce', [GAMMA_TEAM]);
    expect(rel(b, ALPHA, BETA)).toBe(Relation.TRUCE);
    expect(rel(b, ALPHA, GAMMA)).toBe(Relation.HOSTILE);
    expect(rel(b, BETA, GAMMA)).toBe(Relation.HOSTILE);
    cluster(b, [ALPHA, BETA, GAMMA]);
    const hits = fight(b, 15);
    expect(between(hits, ALPHA, BETA)).toEqual([]);
    expect(between(hits, ALPHA, GAMMA).length).toBeGreaterThan(0);
    expect(between(hits, BETA, GAMMA).length).toBeGreaterThan(0);
  });
});

describe('refused diplomacy', () => {
  it('accepting without a proposal: NO_PROPOSAL', () => {
    expectRejected(() => newBattle(), () => accept('b-sc', 'Alpha'), 'NO_PROPOSAL');
    expectRejected(() => newBattle(), () => accept('b-sc', 'Alpha', 'alliance'), 'NO_PROPOSAL');
  });

  it('the proposer cannot accept its own proposal, and a truce proposal is not an alliance proposal', () => {
    const proposed = () => {
      const b = newBattle();
      ok(turn(b, propose('a-sc', 'Beta')));
      return b;
    };
    expectRejected(proposed, () => accept('a-sc', 'Beta'), 'NO_PROPOSAL');
    expectRejected(proposed, () => accept('b-sc', 'Alpha', 'alliance'), 'NO_PROPOSAL');
  });

  it('breaking a truce or an alliance that does not exist: NOT_IN_TRUCE / NOT_ALLIED', () => {
    expectRejected(() => newBattle(), () => breakOff('a-sc', 'Beta'), 'NOT_IN_TRUCE');
    expectRejected(() => newBattle(), () => breakOff('a-sc', 'Beta', 'alliance'), 'NOT_ALLIED');
    expectRejected(() => atPeace('truce'), () => breakOff('a-sc', 'Beta', 'alliance'), 'NOT_ALLIED');
    expectRejected(() => atPeace('alliance'), () => breakOff('a-sc', 'Beta'), 'NOT_IN_TRUCE');
  });

  it('only a supreme commander sets relations: NO_AUTHORITY', () => {
    for (const player of ['a-adm', 'a-cap', 'a-pil', 'a-cap2']) {
      expectRejected(() => newBattle(), () => propose(player, 'Beta'), 'NO_AUTHORITY');
      expectRejected(() => newBattle(), () => propose(player, 'Beta', 'alliance'), 'NO_AUTHORITY');
      expectRejected(() => atPeace('truce'), () => breakOff(player, 'Beta'), 'NO_AUTHORITY');
    }
    const alphaProposed = () => {
      const b = newBattle({}, [{ name: 'Gamma', players: [
        { id: 'g-sc', role: 'supreme_commander', tier: 'gold', fleet: { basic_drone: 1 } },
        { id: 'g-cap', role: 'captain', tier: 'gold', fleet: { basic_drone: 1 } },
      ] }]);
      ok(turn(b, propose('a-sc', 'Gamma')));
      return b;
    };
    expectRejected(alphaProposed, () => accept('g-cap', 'Alpha'), 'NO_AUTHORITY');
  });

  it('proposing to your own team: SAME_TEAM; to a team not in the battle: UNKNOWN_TEAM', () => {
    expectRejected(() => newBattle(), () => propose('a-sc', 'Alpha'), 'SAME_TEAM');
    expectRejected(() => newBattle(), () => propose('b-sc', 'Beta', 'alliance'), 'SAME_TEAM');
    expectRejected(() => newBattle(), () => breakOff('a-sc', 'Alpha'), 'SAME_TEAM');
    expectRejected(() => newBattle(), () => propose('a-sc', 'Nowhere'), 'UNKNOWN_TEAM');
    expectRejected(() => newBattle(), () => propose('ghost', 'Beta'), 'UNKNOWN_PLAYER');
  });

  it('proposing what is already in force is refused', () => {
    expectRejected(() => atPeace('truce'), () => propose('a-sc', 'Beta'), 'MALFORMED');
  });
});

describe('alliances', () => {
  it('allied teams do not fire at each other, but both fire at a common enemy', () => {
    const b = newBattle({}, [GAMMA_TEAM]);
    ok(turn(b, propose('b-sc', 'Alpha', 'alliance')));
    const o = turn(b, accept('a-sc', 'Beta', 'alliance'));
    ok(o);
    expect(eventsOf(o, 'relation_changed')).toEqual([{ type: 'relation_changed', teams: ['Alpha', 'Beta'], relation: 'allied' }]);
    expect(rel(b, ALPHA, BETA)).toBe(Relation.ALLIED);
    expect(rel(b, ALPHA, GAMMA)).toBe(Relation.HOSTILE);
    cluster(b, [ALPHA, BETA, GAMMA]);
    const hits = fight(b, 15);
    expect(between(hits, ALPHA, BETA)).toEqual([]);
    expect(between(hits, ALPHA, GAMMA).length).toBeGreaterThan(0);
    expect(between(hits, BETA, GAMMA).length).toBeGreaterThan(0);
  });

  it('allied fleets packed together stay unharmed; breaking the alliance is a betrayal and they fight', () => {
    const b = atPeace('alliance');
    expect(rel(b, ALPHA, BETA)).toBe(Relation.ALLIED);
    cluster(b, [ALPHA, BETA]);
    const before = health(b);
    expect(fight(b, 30)).toEqual([]);
    expect(health(b)).toEqual(before);
    // an ally is not a target
    const mine = unitsOf(b, 'b-sc')[0];
    const o0 = turn(b, cmd({ player: 'b-sc', kind: 'attack', scope: { units: [mine] }, target: unitsOf(b, 'a-sc')[0] }));
    expect(o0.results[0]).toMatchObject({ ok: false, reason: 'TARGET_NOT_HOSTILE' });

    const o = turn(b, breakOff('b-sc', 'Alpha', 'alliance'));
    ok(o);
    expect(eventsOf(o, 'betrayal')).toEqual([{ type: 'betrayal', by: 'Beta', against: 'Alpha', reputation: 100 - BETRAYAL_PENALTY }]);
    expect(findTeam(b.roster, 'Beta')!.reputation).toBe(100 - BETRAYAL_PENALTY);
    expect(findTeam(b.roster, 'Alpha')!.reputation).toBe(100);
    expect(rel(b, ALPHA, BETA)).toBe(Relation.HOSTILE);
    expect(between(fight(b, 10), ALPHA, BETA).length).toBeGreaterThan(0);
  });

  it('repeated betrayals keep costing reputation', () => {
    const b = newBattle();
    for (let i = 1; i <= 3; i++) {
      ok(turn(b, propose('b-sc', 'Alpha'), accept('a-sc', 'Beta')));
      expect(rel(b, ALPHA, BETA)).toBe(Relation.TRUCE);
      ok(turn(b, breakOff('a-sc', 'Beta')));
      expect(findTeam(b.roster, 'Alpha')!.reputation).toBe(100 - i * BETRAYAL_PENALTY);
    }
    expect(findTeam(b.roster, 'Beta')!.reputation).toBe(100);
  });
});

describe('crossing proposals', () => {
  it('an agreement uses up both sides\' proposals, so a broken truce cannot be restored without a new proposal', async () => {
    const { newBattle: nb, cmd: c, turn: tr } = await import('./helpers.js');
    const b = nb();
    tr(b,
      c({ player: 'a-sc', kind: 'propose_truce', team: 'Beta' }),
      c({ player: 'b-sc', kind: 'propose_truce', team: 'Alpha' }),
      c({ player: 'a-sc', kind: 'accept_truce', team: 'Beta' }));
    expect(b.roster.proposals).toEqual([]);
    tr(b, c({ player: 'a-sc', kind: 'break_truce', team: 'Beta' }));
    const o = tr(b, c({ player: 'b-sc', kind: 'accept_truce', team: 'Alpha' }));
    expect(o.results[0].reason).toBe('NO_PROPOSAL');
  });
});
