import { afterEach, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../gateway/local.js';
import { GameClient } from '../gateway/client/game-client.js';
import { HAND_TICKED, joinedClient, startTestCluster, tokenFor, turns } from './gateway-helpers.js';

let cluster: LocalCluster | undefined;
afterEach(async () => { await cluster?.stop(); cluster = undefined; });

describe('gateway robustness', () => {
  it('a hot-joining client that drops before its turn neither crashes the gateway nor stops the sector', async () => {
    cluster = await startTestCluster({ gateway: HAND_TICKED });
    const c = cluster;
    await turns(c, 1);
    const ghost = await GameClient.connect(c.url);
    ghost.hello(await tokenFor(c, { player: 'ghost', team: 'Alpha', role: 'pilot', tier: 'gold', credits: 10_000 }));
    ghost.join(c.battle.config.battleId, { fleet: [{ unitType: 'basic_drone', count: 5 }] });
    await new Promise((r) => setTimeout(r, 100));
    ghost.ws.terminate();
    await new Promise((r) => setTimeout(r, 50));
    const before = c.battle.world.turn;
    await turns(c, 3); // the join resolves in one of these turns
    expect(c.battle.world.turn).toBe(before + 3);
    expect(c.battle.roster.players.some((p) => p.id === 'ghost')).toBe(true); // the sector accepted the join
    const other = await joinedClient(c, c.battle.roster.players.find((p) => p.role === 'pilot')!.id);
    await turns(c, 2, [other]);
    expect(other.updates.length).toBeGreaterThan(0);
    other.close();
  });

  it('sessions of connections that said Hello and left are forgotten', async () => {
    cluster = await startTestCluster({ gateway: HAND_TICKED });
    const c = cluster;
    await turns(c, 1);
    for (let i = 0; i < 5; i++) {
      const g = await GameClient.connect(c.url);
      g.hello(await tokenFor(c, { player: `visitor-${i}`, team: 'Alpha', role: 'pilot' }));
      await new Promise((r) => setTimeout(r, 30));
      g.ws.terminate();
    }
    await new Promise((r) => setTimeout(r, 100));
    await turns(c, 2);
    expect(c.gateway.sessions.size).toBe(0);
  });

  it('the command rate limit is per player, not per connection', async () => {
    cluster = await startTestCluster({ gateway: { ...HAND_TICKED, commandsPerSecond: 5 } });
    const c = cluster;
    await turns(c, 1);
    const pilot = c.battle.roster.players.find((p) => p.role === 'pilot')!;
    const a = await joinedClient(c, pilot.id);
    const b = await joinedClient(c, pilot.id);
    const unit = (a.welcome!.yourUnits as number[])[0];
    for (let i = 0; i < 4; i++) { a.command({ hold: { scope: { units: [unit] } } }, `a${i}`); b.command({ hold: { scope: { units: [unit] } } }, `b${i}`); }
    await a.waitFor(() => a.results.filter((r) => r.reason === 'RATE_LIMITED').length + b.results.filter((r) => r.reason === 'RATE_LIMITED').length >= 3, 5000, 'rate limited results');
    const limited = [...a.results, ...b.results].filter((r) => r.reason === 'RATE_LIMITED').length;
    expect(limited).toBe(3); // 8 orders, 5 allowed for the player across both connections
    // and one id per player: the same id from the other connection is a duplicate
    await new Promise((r) => setTimeout(r, 1100)); // the bucket refills
    b.command({ hold: { scope: { units: [unit] } } }, 'a0');
    await b.waitFor(() => b.results.some((r) => r.id === 'a0'), 5000, 'duplicate');
    expect(b.results.find((r) => r.id === 'a0')?.reason).toBe('DUPLICATE_COMMAND');
    a.close(); b.close();
  });
});
