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
    expect(byId.get('attack-bad')?.reason).toBe('TARGET_NOT_VISIBLE'); // no such unit: the same answer as a hidden one
    expect(byId.get('stance-1')?.accepted).toBe(true);
    // the order really reached the kernel
    const w = c.battle.world;
    const slot = mine[0] & 0xfffff;
    expect(w.stance[slot]).toBe(2);
    client.close();
  });
});

describe('operator endpoints', () => {
  it('/health and /metrics report sessions, turns and command outcomes', async () => {
    cluster = await startTestCluster();
    const c = cluster;
    await turns(c, 1);
    const pilot = c.battle.roster.players.find((p) => p.role === 'pilot')!;
    const client = await joinedClient(c, pilot.id);
    client.command({ hold: { scope: { units: (client.welcome!.yourUnits as number[]).slice(0, 1) } } }, 'h1');
    client.command({ hold: { scope: { units: [424242] } } }, 'h2');
    for (let i = 0; i < 20 && client.results.length < 2; i++) await turns(c, 1, [client]); // orders land on the next turn after they arrive
    const base = `http://127.0.0.1:${c.server.port}`;
    const health = await (await fetch(`${base}/health`)).json() as { ok: boolean; sessions: number; turns: number };
    expect(health.ok).toBe(true);
    expect(health.sessions).toBe(1);
    expect(health.turns).toBe(c.battle.world.turn);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/sectorwars_gateway_sessions 1/);
    expect(metrics).toMatch(new RegExp(`sectorwars_sector_turn ${c.battle.world.turn}\\b`));
    expect(metrics).toMatch(/sectorwars_gateway_commands_total\{stage="sector",outcome="accepted",reason=""\} 1/);
    expect(metrics).toMatch(/sectorwars_gateway_commands_total\{stage="sector",outcome="rejected",reason="UNKNOWN_UNIT"\} 1/);
    client.close();
  });
});
