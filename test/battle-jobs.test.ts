import { afterEach, describe, expect, it } from 'vitest';
import { generateSetup } from '../actors/sector/scenario.js';
import { createBattle } from '../actors/sector/setup.js';
import { unitsPerTeam } from '../actors/sector/battle.js';
import { runTurn } from '../actors/sector/turn.js';
import { MemoryJobEffects } from '../cluster/jobs/effects.js';
import { InProcessJobs } from '../cluster/jobs/runner.js';
import { NodeServer } from '../cluster/node/node-server.js';
import { MemoryPlacement } from '../cluster/placement/memory-placement.js';
import { MemoryStore } from '../cluster/store/memory-store.js';
import { quietLog } from './gateway-helpers.js';

let node: NodeServer | undefined;
afterEach(async () => { await node?.stop(); node = undefined; });

describe('a decided battle queues its jobs', () => {
  it('settlement, chronicle and archive run once when the battle ends', async () => {
    const effects = new MemoryJobEffects();
    const store = new MemoryStore();
    const jobs = new InProcessJobs(effects, store);
    node = new NodeServer({ id: 'n1', placement: new MemoryPlacement(), log: quietLog, store, jobs, leaseTtlMs: 5000 });
    await node.start();
    const setup = generateSetup({ teams: 2, units: 60, seed: 2, turnsPerSecond: 60 });
    const battle = createBattle(setup);
    // put the fleets in contact and fight most of it out before the node takes over
    for (let s = 0; s < battle.world.highWater; s++) { battle.world.x[s] = 1000 + (battle.world.team[s] === 0 ? 0 : 40) + (s % 6) * 5; battle.world.y[s] = 1000 + Math.floor(s / 6) * 5; }
    while (Math.min(...unitsPerTeam(battle)) > 3) runTurn(battle);
    expect(await node.host(setup.battleId, battle)).toBe(true);
    const deadline = Date.now() + 30_000;
    while (!(await effects.chronicleOf(setup.battleId)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await Promise.all(jobs.settled);
    const c = await effects.chronicleOf(setup.battleId);
    expect(c?.participants).toEqual(['Alpha', 'Beta']);
    expect(await effects.runs()).toBe(3);
    const winner = c!.winner;
    expect((await effects.ledgerFor(winner)).some((e) => e.entry === 'capture_reward')).toBe(true);
    expect(effects.archived.has(setup.battleId)).toBe(true);
  }, 40_000);
});
