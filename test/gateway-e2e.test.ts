import { afterEach, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../gateway/local.js';
import { entriesOf } from '../gateway/client/game-client.js';
import { joinedClient, startTestCluster, turns } from './gateway-helpers.js';

let cluster: LocalCluster | undefined;
afterEach(async () => { await cluster?.stop(); cluster = undefined; });

describe('gateway end to end over a real socket', () => {
  it('auth, join, commands, results; the client\'s applied deltas equal the server\'s view of it every turn', async () => {
    cluster = await startTestCluster();
    const c = cluster;
    await turns(c, 2);
    const pilot = c.battle.roster.players.find((p) => p.role === 'pilot')!;
    const client = await joinedClient(c, pilot.id);
    expect(client.welcome!.playerId).toBe(pilot.id);
    expect((client.welcome!.yourUnits as number[]).length).toBeGreaterThan(0);
    expect((client.welcome!.chain as { captain: string }).captain).not.toBe('');
    await client.waitFor(() => client.updates.length > 0, 5000, 'snapshot');
    const sessionId = client.welcome!.sessionId as string;
    const mine = client.welcome!.yourUnits as number[];
    for (let t = 0; t < 40; t++) {
      if (t === 3) client.command({ move: { scope: { units: mine.slice(0, 3) }, x: 1000, y: 1000 } }, 'move-1');
      if (t === 5) client.command({ attack: { scope: { units: [mine[0]] }, target: 999_999 } }, 'attack-bad');
      if (t === 7) client.command({ stance: { scope: { units: mine }, stance: 2 } }, 'stance-1');
      await turns(c, 1, [client]);
      expect(entriesOf(client.units())).toEqual(c.gateway.serverView(sessionId));
    }
    expect(client.desync).toBe(0);
    expect(client.updates.length).toBeGreaterThan(30);
    const byId = new Map(client.results.map((r) => [r.id, r]));
    expect(byId.get('move-1')?.accepted).toBe(true);
    expect(byId.get('attack-bad')?.reason).toBe('UNKNOWN_TARGET');
    expect(byId.get('stance-1')?.accepted).toBe(true);
    // the order really reached the kernel
    const w = c.battle.world;
    const slot = mine[0] & 0xfffff;
    expect(w.stance[slot]).toBe(2);
    client.close();
  });
});
