import { afterEach, describe, expect, it } from 'vitest';
import type { Command } from '../actors/model/commands.js';
import { battleHash } from '../actors/sector/battle.js';
import { replay } from '../actors/sector/replay.js';
import { generateSetup, openingOrders } from '../actors/sector/scenario.js';
import { createBattle } from '../actors/sector/setup.js';
import { serializeBattle } from '../actors/sector/snapshot.js';
import { runTurn } from '../actors/sector/turn.js';
import { MemoryStore } from '../cluster/store/memory-store.js';
import { PgliteStore } from '../cluster/store/pglite-store.js';
import type { PgStore } from '../cluster/store/pg-store.js';
import { recoverBattle } from '../cluster/store/recovery.js';
import { StaleOwnerError, type Store } from '../cluster/store/store.js';
import { pgStore } from './pg.js';

const adapters: [string, () => Promise<{ store: Store; done: () => Promise<void> }>][] = [
  ['memory', async () => ({ store: new MemoryStore(), done: async () => {} })],
  ['postgresql', async () => { const s = await pgStore(); return { store: s, done: async () => { await (s as PgStore).drop(); await s.close(); } }; }],
  ['embedded PostgreSQL (PGlite)', async () => { const s = new PgliteStore(); await s.migrate(); return { store: s, done: () => s.close() }; }],
];

const cmd = (id: string, player = 'p'): Command => ({ id, player, kind: 'hold', scope: { team: true } });

for (const [name, make] of adapters) {
  describe(`store contract: ${name}`, () => {
    let done: (() => Promise<void>) | undefined;
    afterEach(async () => { await done?.(); done = undefined; });

    it('appends turns in order and reads them back after a turn', async () => {
      const r = await make(); done = r.done;
      const s = r.store;
      await s.appendTurn('s1', 1, 3, [cmd('a'), cmd('b')]);
      await s.appendTurn('s1', 1, 5, [cmd('c')]);
      await s.appendTurn('s1', 1, 6, []);
      await s.appendTurn('s2', 1, 1, [cmd('x')]);
      await s.appendTurn('s1', 1, 7, [], [{ type: 'betrayal', by: 'Alpha', against: 'Beta' }, { type: 'joined', player: 'p9' }]);
      expect(await s.turnsAfter('s1', 0)).toEqual([{ turn: 3, commands: [cmd('a'), cmd('b')] }, { turn: 5, commands: [cmd('c')] }]);
      expect(await s.eventsAfter('s1', 5)).toEqual([{ turn: 7, type: 'betrayal', data: { type: 'betrayal', by: 'Alpha', against: 'Beta' } }, { turn: 7, type: 'joined', data: { type: 'joined', player: 'p9' } }]);
      expect(await s.turnsAfter('s1', 3)).toEqual([{ turn: 5, commands: [cmd('c')] }]);
      await s.saveSummary?.('s1', 'b1', 5, 3, 120, { hash: 'x' }, 1.4); // dashboards' table: written, never read back here
      expect(await s.sectors()).toEqual(['s1', 's2']);
    });

    it('rollback truncation and the turn watermark', async () => {
      const r = await make(); done = r.done;
      const s = r.store;
      await s.appendTurn('s1', 1, 3, [cmd('a')]);
      await s.appendTurn('s1', 1, 9, [cmd('b')]);
      await s.markTurn('s1', 1, 12);
      await s.saveSnapshot('s1', 1, 5, '0'.repeat(16), new Uint8Array([1, 2]));
      await s.saveSnapshot('s1', 1, 10, '1'.repeat(16), new Uint8Array([3]));
      expect(await s.lastTurn('s1')).toBe(12);
      await expect(s.truncateAfter('s1', 0, 5)).rejects.toBeInstanceOf(StaleOwnerError);
      await s.truncateAfter('s1', 2, 5);
      expect((await s.turnsAfter('s1', 0)).map((t) => t.turn)).toEqual([3]);
      expect((await s.snapshots('s1')).map((x) => x.turn)).toEqual([5]);
      expect(await s.lastTurn('s1')).toBe(5);
      expect(await s.fenceToken('s1')).toBe(2);
    });

    it('refuses a stale owner\'s writes (older fencing token) and changes nothing', async () => {
      const r = await make(); done = r.done;
      const s = r.store;
      await s.appendTurn('s1', 1, 1, [cmd('a')]);
      await s.appendTurn('s1', 2, 2, [cmd('b')]); // the new owner writes
      await expect(s.appendTurn('s1', 1, 3, [cmd('stale')])).rejects.toBeInstanceOf(StaleOwnerError);
      await expect(s.saveSnapshot('s1', 1, 3, '0'.repeat(16), new Uint8Array([1]))).rejects.toBeInstanceOf(StaleOwnerError);
      expect((await s.turnsAfter('s1', 0)).map((t) => t.turn)).toEqual([1, 2]);
      expect(await s.snapshots('s1')).toEqual([]);
    });

    it('recovers a battle from the newest snapshot whose hash verifies, skipping a corrupt one, then replays the log', async () => {
      const r = await make(); done = r.done;
      const s = r.store;
      const setup = generateSetup({ teams: 4, units: 800, seed: 9 });
      const b = createBattle(setup);
      const open = openingOrders(setup, b.world.width, b.world.height);
      await s.saveSnapshot('bt', 1, 0, battleHash(b), serializeBattle(b));
      const log: { turn: number; commands: Command[] }[] = [{ turn: 1, commands: open }];
      await s.appendTurn('bt', 1, 1, open);
      let hash = '';
      for (let t = 1; t <= 80; t++) {
        const cmds = t === 1 ? open : t === 60 ? [{ id: 'late', player: setup.teams[2].players[0].id, kind: 'stance' as const, scope: { team: true as const }, stance: 'defensive' as const }] : [];
        if (t === 60) { log.push({ turn: 60, commands: cmds }); await s.appendTurn('bt', 1, 60, cmds); }
        hash = runTurn(b, cmds).hash;
        if (t === 30) await s.saveSnapshot('bt', 1, 30, battleHash(b), serializeBattle(b));
        if (t === 50) { const bytes = serializeBattle(b); bytes[bytes.length - 5] ^= 0xff; await s.saveSnapshot('bt', 1, 50, battleHash(b), bytes); } // corrupt
      }
      const rec = (await recoverBattle(s, 'bt'))!;
      expect(rec.skippedSnapshots).toBe(1);
      expect(rec.snapshotTurn).toBe(30);
      expect(rec.battle.world.turn).toBe(60); // the last logged turn
      expect(battleHash(rec.battle)).toBe(replay(setup, log, 60).hashes[59]);
      // and it carries on exactly as the uninterrupted battle
      for (let t = 61; t <= 80; t++) runTurn(rec.battle, []);
      expect(battleHash(rec.battle)).toBe(hash);
    });
  });
}
