import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import { replay } from '../actors/sector/replay.js';
import { generateSetup } from '../actors/sector/scenario.js';
import type { RedisPlacement } from '../cluster/placement/redis-placement.js';
import type { PgStore } from '../cluster/store/pg-store.js';
import { GameClient } from '../gateway/client/game-client.js';
import { GrpcSectorLink } from '../gateway/link/grpc-link.js';
import { startGateway, type GatewayNode } from '../gateway/local.js';
import { startNode, type NodeProc } from './cluster-helpers.js';
import { TcpProxy } from './fixtures/tcp-proxy.js';
import { SECRET, quietLog } from './gateway-helpers.js';
import { DATABASE_URL, pgStore } from './pg.js';
import { redisPlacement, testPrefix } from './redis.js';

const nodes: NodeProc[] = [];
let gw: GatewayNode | undefined, link: GrpcSectorLink | undefined, placement: RedisPlacement | undefined, store: PgStore | undefined, proxy: TcpProxy | undefined;
afterEach(async () => {
  link?.stop(); gw?.stop();
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
  await proxy?.close();
  await placement?.clear(); await placement?.close();
  await store?.drop(); await store?.close();
});

describe('PostgreSQL away for 10 s', () => {
  it('the battle keeps turning, results wait for durability, and the log catches up with nothing lost', async () => {
    const prefix = testPrefix();
    const schema = `swtest_${prefix.replace(/-/g, '_')}`;
    store = await pgStore(schema);
    const pgUrl = new URL(DATABASE_URL);
    proxy = new TcpProxy(pgUrl.hostname, Number(pgUrl.port || 5432));
    const port = await proxy.listen();
    const viaProxy = new URL(DATABASE_URL); viaProxy.port = String(port);
    const sector = 'battle-pg';
    nodes.push(await startNode('A', prefix, ['--sector', sector, '--teams', '2', '--units', '400', '--seed', '17', '--tps', '20', '--database', viaProxy.toString(), '--schema', schema, '--snapshot-every', '1000', '--lease-ttl', '10000']));
    const started = [...nodes];
    onTestFailed(() => { for (const n of started) console.error(`── node ${n.id}\n${n.stderr.slice(-30).join('\n')}`); });
    placement = await redisPlacement(prefix);
    link = new GrpcSectorLink(placement, sector);
    await link.start();
    gw = await startGateway({ link, secret: SECRET, log: quietLog, gateway: { messagesPerSecond: 1000, commandsPerSecond: 1000 } });
    await new Promise<void>((r) => { const un = link!.subscribe(() => { un(); r(); }); });
    const setup = generateSetup({ teams: 2, units: 400, seed: 17, turnsPerSecond: 20 });
    setup.battleId = sector;
    const sc = setup.teams[0].players[0];
    const client = await GameClient.connect(gw.url);
    client.hello(await gw.tokens.mint({ player: sc.id, team: 'Alpha', role: sc.role, tier: 'gold', spectator: false }, 600));
    client.join(sector);
    await client.waitFor(() => client.welcome && client.updates.length > 0, 15_000, 'welcome');
    const unit = (client.welcome!.yourUnits as number[])[0];
    const order = (i: number) => client.command({ stance: { scope: { units: [unit] }, stance: i % 3 } }, `s${i}`);
    for (let i = 0; i < 5; i++) { order(i); await new Promise((r) => setTimeout(r, 50)); }
    await client.waitFor(() => client.results.length >= 5, 10_000, 'results before the outage');

    proxy.partition();
    const turnAtCut = link.latest()!.turn;
    for (let i = 5; i < 15; i++) { order(i); await new Promise((r) => setTimeout(r, 200)); }
    await new Promise((r) => setTimeout(r, 10_000 - 10 * 200));
    const turnAfter = link.latest()!.turn;
    expect(turnAfter - turnAtCut).toBeGreaterThan(150); // ~20 turns/s for 10 s: the battle never stalled
    expect(client.results.length).toBe(5); // applied, but not acknowledged: not durable yet
    expect(link.latest()!.durableTurn).toBeLessThan(turnAfter);

    proxy.heal();
    await client.waitFor(() => client.results.length >= 15, 20_000, `results after the outage (have ${client.results.length})`);
    expect(client.results.every((r) => r.accepted)).toBe(true);
    const log = await store.turnsAfter(sector, 0);
    const ids = log.flatMap((t) => t.commands.map((c) => c.id));
    expect(ids.filter((id) => id.startsWith(`${sc.id}/s`)).length).toBe(15);
    const last = link.latest()!;
    expect(replay(setup, log, last.turn).hashes[last.turn - 1]).toBe(last.hash);
    client.close();
  }, 90_000);
});
