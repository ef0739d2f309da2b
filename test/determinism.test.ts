import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { generateSetup, openingOrders } from '../actors/sector/scenario.js';
import { createBattle } from '../actors/sector/setup.js';
import { replay } from '../actors/sector/replay.js';
import { runTurn } from '../actors/sector/turn.js';
import type { Command } from '../actors/model/commands.js';
import { unitId } from '../actors/unit/world.js';

const TURNS = 150;

/** A 2,000-unit, 8-team battle with a scripted command log: openings, then orders mid-battle. */
function scriptedRun() {
  const setup = generateSetup({ teams: 8, units: 2000, seed: 99, waves: { everySeconds: 5, baseUnits: 10, growth: 0.5 } });
  const battle = createBattle(setup);
  const log: { turn: number; commands: Command[] }[] = [{ turn: 1, commands: openingOrders(setup, battle.world.width, battle.world.height) }];
  const hashes: string[] = [];
  for (let t = 1; t <= TURNS; t++) {
    let commands = log.find((e) => e.turn === t)?.commands ?? [];
    if (t === 40) {
      // a pilot retreats, a captain regroups, a supreme commander changes stance
      const w = battle.world;
      let first = -1;
      for (let s = 0; s < w.highWater && first < 0; s++) if (w.alive[s] && w.team[s] === 2) first = s;
      commands = [
        { id: 'r1', player: setup.teams[1].players[2].id, kind: 'retreat', mode: 'fighting_withdrawal' },
        { id: 'g1', player: setup.teams[2].players[2].id, kind: 'regroup', scope: { squadron: `sq-${setup.teams[2].players[2].id}` } },
        { id: 's1', player: setup.teams[3].players[0].id, kind: 'stance', scope: { team: true }, stance: 'defensive' },
        { id: 'm1', player: setup.teams[2].players[0].id, kind: 'move', scope: { units: [unitId(w, first)] }, x: 100, y: 100 },
      ];
      log.push({ turn: t, commands });
    }
    hashes.push(runTurn(battle, commands).hash);
  }
  return { setup, log, hashes };
}

describe('determinism', () => {
  it('the same battle run twice in one process agrees on every turn hash', () => {
    const a = scriptedRun();
    const b = scriptedRun();
    expect(a.hashes).toHaveLength(TURNS);
    expect(new Set(a.hashes).size).toBeGreaterThan(TURNS - 2); // the state really changes turn to turn
    expect(b.hashes).toEqual(a.hashes);
  });

  it('replaying the command log onto the same start gives the same hashes', () => {
    const a = scriptedRun();
    const r = replay(a.setup, a.log, TURNS);
    expect(r.hashes).toEqual(a.hashes);
  });

  it('a different seed gives a different battle', () => {
    const a = scriptedRun();
    const setup = { ...a.setup, seed: a.setup.seed + 1 };
    expect(replay(setup, a.log, TURNS).hashes[TURNS - 1]).not.toEqual(a.hashes[TURNS - 1]);
  });

  it('a child process computes the same hashes (CLI, separate V8 heap)', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'deploy/cli/main.ts', 'simulate', '--teams', '8', '--units', '2000', '--turns', '120', '--seed', '5', '--json', '--hashes'], { encoding: 'utf8' });
    const child = JSON.parse(out) as { hashes: string[]; finalStateHash: string };
    const setup = generateSetup({ teams: 8, units: 2000, seed: 5 });
    const { width, height } = createBattle(setup).world;
    const here = replay(setup, [{ turn: 1, commands: openingOrders(setup, width, height) }], child.hashes.length);
    expect(child.hashes.length).toBe(120);
    expect(child.hashes).toEqual(here.hashes);
    expect(child.finalStateHash).toBe(here.hashes[here.hashes.length - 1]);
  });
});
