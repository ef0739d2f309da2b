// Small hand-made battles for tests.

import type { Command } from '../actors/model/commands.js';
import { createBattle, type BattleSetup, type TeamSetup } from '../actors/sector/setup.js';
import type { Battle } from '../actors/sector/battle.js';
import { battleHash } from '../actors/sector/battle.js';
import { runTurn, type TurnOutcome } from '../actors/sector/turn.js';
import { unitId } from '../actors/unit/world.js';

/**
 * Two teams, Alpha and Beta, each with a chain of command:
 *   a-sc (supreme) ; a-adm (admiral) ; a-cap (captain under a-adm) ; a-pil (pilot under a-cap) ; a-cap2 (captain, no admiral)
 * Beta: b-sc with 20 basic drones. Waves off, deployment 30 s unless overridden.
 */
export function twoTeamSetup(over: Partial<BattleSetup> = {}, extraTeams: TeamSetup[] = []): BattleSetup {
  return {
    battleId: 'test',
    seed: 42,
    waves: null,
    teams: [
      {
        name: 'Alpha',
        players: [
          { id: 'a-sc', role: 'supreme_commander', tier: 'gold', credits: 10_000, fleet: { corvette: 1, basic_drone: 4 } },
          { id: 'a-adm', role: 'admiral', tier: 'gold', fleet: { destroyer: 1 } },
          { id: 'a-cap', role: 'captain', tier: 'silver', admiral: 'a-adm', fleet: { corvette: 1, basic_drone: 4 } },
          { id: 'a-pil', role: 'pilot', tier: 'bronze', captain: 'a-cap', fleet: { basic_drone: 5 } },
          { id: 'a-cap2', role: 'captain', tier: 'silver', fleet: { basic_drone: 3 } },
        ],
      },
      { name: 'Beta', players: [{ id: 'b-sc', role: 'supreme_commander', tier: 'gold', credits: 10_000, fleet: { basic_drone: 20 } }] },
      ...extraTeams,
    ],
    ...over,
  };
}

export function newBattle(over: Partial<BattleSetup> = {}, extraTeams: TeamSetup[] = []): Battle {
  return createBattle(twoTeamSetup(over, extraTeams));
}

/** Ids of the live units owned by a player, in slot order. */
export function unitsOf(b: Battle, playerId: string): number[] {
  const p = b.roster.players.find((x) => x.id === playerId);
  if (!p) throw new Error(`no player ${playerId}`);
  const out: number[] = [];
  for (let s = 0; s < b.world.highWater; s++) if (b.world.alive[s] === 1 && b.world.owner[s] === p.index) out.push(unitId(b.world, s));
  return out;
}

let seq = 0;
/** A command with a fresh id. */
export function cmd(c: Record<string, unknown>): Command {
  return { id: `c${++seq}`, ...c } as unknown as Command;
}

/** Runs one turn with the given commands and returns the outcome. */
export function turn(b: Battle, ...commands: Command[]): TurnOutcome {
  return runTurn(b, commands);
}

/** Runs `n` empty turns. */
export function idle(b: Battle, n: number): TurnOutcome {
  let o: TurnOutcome | undefined;
  for (let i = 0; i < n; i++) o = runTurn(b, []);
  return o!;
}

export { battleHash };
