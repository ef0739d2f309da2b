import { describe, expect, it } from 'vitest';
import { BATTLE_SCALES, chaosLevel, classifyBattle, type BattleScale } from '../actors/model/scale.js';
import { TIER_LIMITS, TIERS } from '../actors/model/roles.js';
import { BattleSetupError } from '../actors/model/reasons.js';
import { compileCatalog, regenThisTurn, UNIT_STATS, UNIT_TYPE_COUNT, UNIT_TYPE_NAMES, UnitType, unitTypeFromName } from '../actors/unit/catalog.js';
import { generateSetup } from '../actors/sector/scenario.js';
import { createBattle, type BattleSetup } from '../actors/sector/setup.js';
import { twoTeamSetup } from './helpers.js';

describe('classifyBattle (seeds: battle scale classes)', () => {
  // [players, units, expected]: the lower and upper edge of every class, by either measure.
  const byPlayers: [number, BattleScale][] = [
    [2, 'SKIRMISH'], [5, 'SKIRMISH'],
    [6, 'ENGAGEMENT'], [15, 'ENGAGEMENT'],
    [16, 'CAMPAIGN'], [30, 'CAMPAIGN'],
    [31, 'MASSIVE_WAR'], [75, 'MASSIVE_WAR'],
    [76, 'LEGENDARY'], [500, 'LEGENDARY'],
  ];
  const byUnits: [number, BattleScale][] = [
    [10, 'SKIRMISH'], [50, 'SKIRMISH'],
    [51, 'ENGAGEMENT'], [200, 'ENGAGEMENT'],
    [201, 'CAMPAIGN'], [1000, 'CAMPAIGN'],
    [1001, 'MASSIVE_WAR'], [5000, 'MASSIVE_WAR'],
    [5001, 'LEGENDARY'], [100_000, 'LEGENDARY'],
  ];

  it.each(byPlayers)('%i players (with a skirmish-sized unit count) is %s', (players, expected) => {
    expect(classifyBattle(players, 10)).toBe(expected);
  });

  it.each(byUnits)('%i units (with 2 players) is %s', (units, expected) => {
    expect(classifyBattle(2, units)).toBe(expected);
  });

  it('the class is the higher of the player class and the unit class', () => {
    for (const [players, pc] of byPlayers) {
      for (const [units, uc] of byUnits) {
        const want = BATTLE_SCALES[Math.max(BATTLE_SCALES.indexOf(pc), BATTLE_SCALES.indexOf(uc))];
        expect(classifyBattle(players, units), `${players} players, ${units} units`).toBe(want);
      }
    }
    expect(classifyBattle(2, 5001)).toBe('LEGENDARY');
    expect(classifyBattle(76, 10)).toBe('LEGENDARY');
    expect(classifyBattle(16, 51)).toBe('CAMPAIGN');
    expect(classifyBattle(5, 1001)).toBe('MASSIVE_WAR');
  });

  it('is monotonic in both players and units', () => {
    const rank = (p: number, u: number) => BATTLE_SCALES.indexOf(classifyBattle(p, u));
    for (let p = 2; p <= 100; p++) {
      for (const u of [10, 50, 51, 200, 201, 1000, 1001, 5000, 5001]) {
        expect(rank(p + 1, u)).toBeGreaterThanOrEqual(rank(p, u));
      }
    }
    for (let u = 10; u <= 6000; u += 7) expect(rank(2, u + 7)).toBeGreaterThanOrEqual(rank(2, u));
  });
});

describe('chaosLevel (seeds: low 1-10, medium 11-25, high 26-50, extreme 51+)', () => {
  it.each([
    [1, 'low'], [10, 'low'],
    [11, 'medium'], [25, 'medium'],
    [26, 'high'], [50, 'high'],
    [51, 'extreme'], [1000, 'extreme'],
  ] as const)('%i players in the sector is %s', (players, level) => {
    expect(chaosLevel(players)).toBe(level);
  });
});

describe('tier limits (seeds: bronze 25, silver 50, gold 100 units)', () => {
  it('units commanded per tier', () => {
    expect(TIER_LIMITS.bronze.unitsCommanded).toBe(25);
    expect(TIER_LIMITS.silver.unitsCommanded).toBe(50);
    expect(TIER_LIMITS.gold.unitsCommanded).toBe(100);
  });

  it('every tier may field what the tier below may, and only known unit types (never escape pods)', () => {
    for (const t of TIERS) {
      for (const u of TIER_LIMITS[t].unitTypes) {
        expect(unitTypeFromName(u)).toBeDefined();
        expect(u).not.toBe('escape_pod');
      }
    }
    for (const u of TIER_LIMITS.bronze.unitTypes) expect(TIER_LIMITS.silver.unitTypes).toContain(u);
    for (const u of TIER_LIMITS.silver.unitTypes) expect(TIER_LIMITS.gold.unitTypes).toContain(u);
    expect(TIER_LIMITS.bronze.unitTypes).not.toContain('battleship');
    expect(TIER_LIMITS.gold.unitTypes).toContain('carrier');
  });

  it.each([['bronze', 25], ['silver', 50], ['gold', 100]] as const)('createBattle accepts a %s player with %i units and rejects one more', (tier, limit) => {
    const setup = (n: number): BattleSetup => {
      const s = twoTeamSetup();
      s.teams[1].players[0] = { id: 'b-sc', role: 'supreme_commander', tier, fleet: { basic_drone: n } };
      return s;
    };
    expect(() => createBattle(setup(limit))).not.toThrow();
    expect(createBattle(setup(limit)).world.liveCount).toBe(19 + limit);
    const tooMany = setup(limit + 1);
    expect(() => createBattle(tooMany)).toThrow(BattleSetupError);
  });

  it('createBattle rejects a bronze player fielding a battleship', () => {
    const s = twoTeamSetup();
    s.teams[1].players[0] = { id: 'b-sc', role: 'supreme_commander', tier: 'bronze', fleet: { battleship: 1 } };
    expect(() => createBattle(s)).toThrow(BattleSetupError);
  });
});

describe('unit catalog (seeds: unit economics)', () => {
  it('costs match the seeds', () => {
    const cost = (name: string) => UNIT_STATS[unitTypeFromName(name)!].cost;
    expect(cost('basic_drone')).toBe(100);
    expect(cost('defense_drone')).toBe(500);
    expect(cost('elite_drone')).toBe(2000);
    expect(cost('corvette')).toBe(50_000);
    expect(cost('destroyer')).toBe(200_000);
    expect(cost('battleship')).toBe(1_000_000);
    expect(cost('carrier')).toBe(2_500_000);
  });

  it('names, indices and types line up', () => {
    expect(UNIT_STATS).toHaveLength(UNIT_TYPE_COUNT);
    expect(UNIT_TYPE_NAMES).toHaveLength(UNIT_TYPE_COUNT);
    UNIT_STATS.forEach((s, i) => {
      expect(s.name).toBe(UNIT_TYPE_NAMES[i]);
      expect(unitTypeFromName(s.name)).toBe(i);
    });
    expect(unitTypeFromName('no_such_ship')).toBeUndefined();
  });

  it('every combat unit has positive stats; only ships carry crew; only carriers carry drones', () => {
    for (const s of UNIT_STATS) {
      if (s.name === 'escape_pod') continue;
      for (const k of ['hull', 'shields', 'shieldRegenPerSecond', 'damage', 'range', 'cooldownSeconds', 'speed', 'sensorRange', 'fuel', 'ammunition', 'cost'] as const) {
        expect(s[k], `${s.name}.${k}`).toBeGreaterThan(0);
        expect(Number.isFinite(s[k]), `${s.name}.${k}`).toBe(true);
      }
      expect(s.accuracy, `${s.name}.accuracy`).toBeGreaterThan(0);
      expect(s.accuracy, `${s.name}.accuracy`).toBeLessThanOrEqual(1);
      expect(s.range, `${s.name} sees what it shoots`).toBeLessThanOrEqual(s.sensorRange);
      expect(s.dronesCarried > 0).toBe(s.name === 'carrier');
    }
    const ships = UNIT_STATS.filter((s) => s.ship).map((s) => s.name);
    expect(ships.sort()).toEqual(['battleship', 'carrier', 'corvette', 'destroyer']);
    const pod = UNIT_STATS[UnitType.ESCAPE_POD];
    expect(pod.hull).toBeGreaterThan(0);
    expect(pod.speed).toBeGreaterThan(0);
    expect(pod.damage).toBe(0);
    expect(pod.cost).toBe(0);
  });

  it('bigger ships cost more', () => {
    const order = ['basic_drone', 'defense_drone', 'elite_drone', 'corvette', 'destroyer', 'battleship', 'carrier'];
    for (let i = 1; i < order.length; i++) {
      expect(UNIT_STATS[unitTypeFromName(order[i])!].cost).toBeGreaterThan(UNIT_STATS[unitTypeFromName(order[i - 1])!].cost);
    }
  });
});

describe('compileCatalog: per-second stats to per-turn values', () => {
  it.each([1, 10, 20, 60])('at %i turns per second', (tps) => {
    const c = compileCatalog(tps);
    expect(c.turnsPerSecond).toBe(tps);
    expect(c.launchTurns).toBe(Math.max(1, Math.round(2 * tps)));
    for (let t = 0; t < UNIT_TYPE_COUNT; t++) {
      const s = UNIT_STATS[t];
      const what = `${s.name} @${tps}`;
      // speed: per turn × turns per second gives back the per-second speed
      expect(c.speed[t] * tps, what).toBeCloseTo(s.speed, 9);
      // values that do not depend on time are copied
      expect(c.hull[t], what).toBe(s.hull);
      expect(c.shields[t], what).toBe(s.shields);
      expect(c.damage[t], what).toBe(s.damage);
      expect(c.range[t], what).toBe(s.range);
      expect(c.range2[t], what).toBe(s.range * s.range);
      expect(c.sensor[t], what).toBe(s.sensorRange);
      expect(c.fuel[t], what).toBe(s.fuel);
      expect(c.ammunition[t], what).toBe(s.ammunition);
      expect(c.cost[t], what).toBe(s.cost);
      expect(c.accuracy[t], what).toBe(s.accuracy);
      expect(c.drones[t], what).toBe(s.dronesCarried);
      expect(c.ship[t], what).toBe(s.ship ? 1 : 0);
      // cooldown: whole turns, at least one, within half a turn of the per-second value
      if (s.damage > 0) {
        expect(Number.isInteger(c.cooldown[t]), what).toBe(true);
        expect(c.cooldown[t], what).toBeGreaterThanOrEqual(1);
        if (s.cooldownSeconds * tps >= 1) expect(Math.abs(c.cooldown[t] - s.cooldownSeconds * tps), what).toBeLessThanOrEqual(0.5);
      } else {
        expect(c.cooldown[t], what).toBe(0);
      }
      // shield regeneration: whole points per turn that add up to exactly the per-second rate
      expect(c.shieldRegen[t], what).toBe(s.shieldRegenPerSecond);
      for (let second = 0; second < 3; second++) {
        let sum = 0;
        for (let turn = second * tps + 1; turn <= (second + 1) * tps; turn++) {
          const r = regenThisTurn(c, t, turn);
          expect(Number.isInteger(r) && r >= 0, what).toBe(true);
          sum += r;
        }
        expect(sum, `${what} second ${second}`).toBe(s.shieldRegenPerSecond);
      }
    }
  });

  it('a faster turn rate means smaller per-turn steps and more turns between shots', () => {
    const slow = compileCatalog(10), fast = compileCatalog(20);
    const corvette = UnitType.CORVETTE;
    expect(fast.speed[corvette]).toBeCloseTo(slow.speed[corvette] / 2, 12);
    expect(fast.cooldown[corvette]).toBe(slow.cooldown[corvette] * 2);
    expect(slow.speed[corvette]).toBeCloseTo(5, 12); // 50 units/s at 10 turns/s
    expect(slow.cooldown[corvette]).toBe(5); // 0.5 s at 10 turns/s
  });
});

describe('generated scenarios (scenario.ts generateSetup)', () => {
  const cases = [
    { teams: 2, units: 20, seed: 1 },
    { teams: 2, units: 250, seed: 2 },
    { teams: 3, units: 1001, seed: 3, independents: 2 },
    { teams: 8, units: 2000, seed: 4 },
    { teams: 4, units: 9000, seed: 5, independents: 3 },
    { teams: 8, units: 20_001, seed: 6 },
  ];

  it.each(cases)('$teams teams, $units units, seed $seed: createBattle accepts it and every player commands ≤ 100 units', (o) => {
    const setup = generateSetup(o);
    const b = createBattle(setup);
    const w = b.world;
    const r = b.roster;
    // the requested number of units, spread evenly over the regular teams
    const perTeam = new Map<number, number>();
    const perPlayer = new Map<number, number>();
    for (let s = 0; s < w.highWater; s++) {
      if (w.alive[s] !== 1) continue;
      perTeam.set(w.team[s], (perTeam.get(w.team[s]) ?? 0) + 1);
      perPlayer.set(w.owner[s], (perPlayer.get(w.owner[s]) ?? 0) + 1);
    }
    const indep = o.independents ?? 0;
    expect(r.teams).toHaveLength(o.teams + indep);
    let regularUnits = 0;
    for (const t of r.teams) {
      if (t.independent) continue;
      const n = perTeam.get(t.index) ?? 0;
      regularUnits += n;
      expect(Math.abs(n - o.units / o.teams), t.name).toBeLessThan(1);
    }
    expect(regularUnits).toBe(o.units);
    for (const p of r.players) {
      expect(perPlayer.get(p.index) ?? 0, p.id).toBeLessThanOrEqual(100);
      expect(perPlayer.get(p.index) ?? 0, p.id).toBeLessThanOrEqual(TIER_LIMITS[p.tier].unitsCommanded);
    }
    expect(perPlayer.has(-1)).toBe(false); // no unit without a commander
    // the set-up's own fleets are within limits too
    for (const t of setup.teams) for (const p of t.players) {
      expect(Object.values(p.fleet).reduce((a, n) => a + n, 0), p.id).toBeLessThanOrEqual(TIER_LIMITS[p.tier].unitsCommanded);
    }
  });

  it.each(cases)('$teams teams, $units units, seed $seed: a valid chain of command', (o) => {
    const setup = generateSetup(o);
    const b = createBattle(setup);
    const r = b.roster;
    for (const t of r.teams) {
      const members = r.players.filter((p) => p.team === t.index);
      expect(members.filter((p) => p.role === 'supreme_commander'), t.name).toHaveLength(1);
      if (t.independent) expect(members).toHaveLength(1);
    }
    for (const ts of setup.teams) {
      for (const ps of ts.players) {
        const p = r.players.find((x) => x.id === ps.id)!;
        expect(p, ps.id).toBeDefined();
        const q = r.squadrons[p.squadron];
        expect(q.team).toBe(p.team);
        if (p.role === 'pilot') {
          // a pilot flies under a captain of the same team, in that captain's squadron
          expect(ps.captain, ps.id).toBeDefined();
          const cap = r.players.find((x) => x.id === ps.captain)!;
          expect(cap.role).toBe('captain');
          expect(cap.team).toBe(p.team);
          expect(p.squadron).toBe(cap.squadron);
          expect(q.captain).toBe(cap.index);
        } else {
          expect(q.id).toBe(`sq-${p.id}`);
        }
        if (p.role === 'captain') {
          expect(q.captain).toBe(p.index);
          if (ps.admiral !== undefined) {
            const adm = r.players.find((x) => x.id === ps.admiral)!;
            expect(adm.role).toBe('admiral');
            expect(adm.team).toBe(p.team);
            expect(q.admiral).toBe(adm.index);
          }
        }
        if (p.role === 'admiral') expect(q.admiral).toBe(p.index);
      }
    }
    // squadron ids are unique
    expect(new Set(r.squadrons.map((q) => q.id)).size).toBe(r.squadrons.length);
  });

  it('generation is deterministic and depends on the options', () => {
    const o = { teams: 3, units: 900, seed: 7 };
    expect(generateSetup(o)).toEqual(generateSetup(o));
    expect(generateSetup({ ...o, units: 901 })).not.toEqual(generateSetup(o));
  });
});
