import { afterEach, describe, expect, it } from 'vitest';
import { createActorSystem, type ActorSystem } from '../actors/runtime.js';
import { spawnSector, type PublishedTurn, type SectorMsg, type SubmitResult } from '../actors/sector/sector-actor.js';
import { InMemoryCommandLog } from '../actors/sector/command-log.js';
import { generateSetup, openingOrders } from '../actors/sector/scenario.js';
import { createBattle } from '../actors/sector/setup.js';
import { replay } from '../actors/sector/replay.js';
import { SectorLoop, type Clock } from '../actors/sector/loop.js';
import type { Command } from '../actors/model/commands.js';

let system: ActorSystem | undefined;
afterEach(() => system?.shutdown());

const tick = (s: ActorSystem, ref: ReturnType<typeof spawnSector>) =>
  s.ask<SectorMsg, PublishedTurn>(ref, (reply) => ({ type: 'tick', dilation: 1, reply }));
const submit = (s: ActorSystem, ref: ReturnType<typeof spawnSector>, command: unknown) =>
  s.ask<SectorMsg, SubmitResult>(ref, (reply) => ({ type: 'submit', command, reply }));

describe('actor hierarchy', () => {
  it('runs the same battle as the pure pipeline: sector → team → squadron actors give identical hashes', async () => {
    const setup = generateSetup({ teams: 4, units: 1200, seed: 11 });
    const battle = createBattle(setup);
    const log = new InMemoryCommandLog();
    system = createActorSystem('test');
    const sector = spawnSector(system, battle, log);
    const opening = openingOrders(setup, battle.world.width, battle.world.height);
    const t2 = setup.teams[1].players;
    const later: Command[] = [
      { id: 'x1', player: t2[2].id, kind: 'formation', squadron: `sq-${t2[2].id}`, formation: 'wedge' },
      { id: 'x2', player: t2[2].id, kind: 'move', scope: { squadron: `sq-${t2[2].id}` }, x: 500, y: 500 },
      { id: 'x3', player: t2[0].id, kind: 'stance', scope: { team: true }, stance: 'balanced' },
      { id: 'x4', player: t2[1].id, kind: 'hold', scope: { team: true } }, // admiral: no authority over the team
      { id: 'x5', player: 'ghost', kind: 'hold', scope: { team: true } },
    ];
    const hashes: string[] = [];
    for (let t = 1; t <= 60; t++) {
      const cmds = t === 1 ? opening : t === 20 ? later : [];
      for (const c of cmds) expect((await submit(system, sector, c)).queued).toBe(true);
      const out = await tick(system, sector);
      expect(out.turn).toBe(t);
      hashes.push(out.hash);
      if (t === 20) {
        expect(out.results.map((r) => r.reason ?? 'OK')).toEqual(['OK', 'OK', 'OK', 'NO_AUTHORITY', 'UNKNOWN_PLAYER']);
      }
    }
    const pure = replay(setup, log.entries(), 60);
    expect(pure.hashes).toEqual(hashes);
    expect(log.entries().map((e) => e.turn)).toEqual([1, 20]);
  });

  it('rejects malformed input at the sector without queuing it, and the actor keeps serving', async () => {
    const setup = generateSetup({ teams: 2, units: 100, seed: 3 });
    const battle = createBattle(setup);
    system = createActorSystem('test');
    const sector = spawnSector(system, battle, new InMemoryCommandLog());
    for (const garbage of [null, 42, 'x', [], { id: 'a' }, { id: 'a', player: 'p', kind: 'nuke' }]) {
      const r = await submit(system, sector, garbage);
      expect(r.queued).toBe(false);
    }
    const out = await tick(system, sector);
    expect(out.results).toEqual([]);
    expect(out.turn).toBe(1);
  });

  it('publishes each turn to subscribers', async () => {
    const battle = createBattle(generateSetup({ teams: 2, units: 50, seed: 1 }));
    system = createActorSystem('test');
    const sector = spawnSector(system, battle, new InMemoryCommandLog());
    const seen: number[] = [];
    system.tell<SectorMsg>(sector, { type: 'subscribe', listener: (t) => seen.push(t.turn) });
    await tick(system, sector);
    await tick(system, sector);
    expect(seen).toEqual([1, 2]);
  });
});

/** A clock that advances only when told: turn cost is whatever the test says it is. */
class FakeClock implements Clock {
  t = 0;
  costPerTurn = 0;
  sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
  }
}

describe('time dilation in the sector loop', () => {
  it('slows the game clock under load (floor 10%), recovers after, and the hashes match an undilated replay', async () => {
    const setup = generateSetup({ teams: 2, units: 200, seed: 4 });
    const battle = createBattle(setup);
    const log = new InMemoryCommandLog();
    system = createActorSystem('test');
    const sector = spawnSector(system, battle, log);
    const clock = new FakeClock();
    const factors: number[] = [];
    const hashes: string[] = [];
    // turns 1-30 cheap, 31-80 cost 2 s each (far past a 100 ms turn), 81-160 cheap again
    system.tell<SectorMsg>(sector, { type: 'subscribe', listener: (t) => { clock.t += t.turn > 30 && t.turn <= 80 ? 2000 : 1; } });
    const loop = new SectorLoop(system, sector, 10, clock, {}, (t) => {
      factors.push(loop.dilation.factor);
      hashes.push(t.hash);
      return t.turn >= 160;
    });
    await loop.start();
    expect(factors[29]).toBe(1);
    expect(Math.min(...factors.slice(30, 80))).toBeCloseTo(0.1, 5); // floor
    expect(factors[79]).toBeCloseTo(0.1, 5);
    expect(factors[159]).toBe(1); // recovered
    // the published factor is the one in force when the turn ran
    expect(clock.sleeps.length).toBe(159);
    expect(replay(setup, log.entries(), 160).hashes).toEqual(hashes);
  });
});
