import { describe, expect, it } from 'vitest';
import { battleHash } from '../actors/sector/battle.js';
import { generateSetup, openingOrders } from '../actors/sector/scenario.js';
import { createBattle } from '../actors/sector/setup.js';
import { deserializeBattle, serializeBattle } from '../actors/sector/snapshot.js';
import { runTurn } from '../actors/sector/turn.js';
import type { Command } from '../actors/model/commands.js';

describe('battle state as bytes', () => {
  it('a battle serialized mid-fight and restored continues with exactly the hashes of the uninterrupted run', () => {
    const setup = generateSetup({ teams: 4, units: 2000, seed: 5, waves: { everySeconds: 3, baseUnits: 10, growth: 0.5 } });
    const a = createBattle(setup);
    const open = openingOrders(setup, a.world.width, a.world.height);
    const later: Command[] = [{ id: 'r', player: setup.teams[1].players[1].id, kind: 'retreat', mode: 'fighting_withdrawal' }, { id: 't', player: setup.teams[0].players[0].id, kind: 'propose_truce', team: setup.teams[2].name }];
    const reference: string[] = [];
    let restored: ReturnType<typeof deserializeBattle> | null = null;
    for (let t = 1; t <= 160; t++) {
      reference.push(runTurn(a, t === 1 ? open : t === 120 ? later : []).hash);
      if (t === 100) {
        const bytes = serializeBattle(a);
        restored = deserializeBattle(bytes);
        expect(battleHash(restored)).toBe(reference[99]);
      }
    }
    const b = restored!;
    const resumed: string[] = [];
    for (let t = 101; t <= 160; t++) resumed.push(runTurn(b, t === 120 ? later : []).hash);
    expect(resumed).toEqual(reference.slice(100));
  });

  it('refuses bytes that are not a battle or are cut short', () => {
    const bytes = serializeBattle(createBattle(generateSetup({ teams: 2, units: 100, seed: 1 })));
    expect(() => deserializeBattle(new Uint8Array(16))).toThrow(/not a serialized battle/);
    expect(() => deserializeBattle(bytes.subarray(0, bytes.length - 100))).toThrow(/corrupt/);
  });
});
