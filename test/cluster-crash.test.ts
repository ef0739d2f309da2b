import { afterEach, describe, expect, it } from 'vitest';
import { replay } from '../actors/sector/replay.js';
import { generateSetup } from '../actors/sector/scenario.js';
import type { RedisPlacement } from '../cluster/placement/redis-placement.js';
import type { PgStore } from '../cluster/store/pg-store.js';
import { GameClient } from '../gateway/client/game-client.js';
import { GrpcSectorLink } from '../gateway/link/grpc-link.js';
import { startGateway, type GatewayNode } from '../gateway/local.js';
import { startNode, type NodeProc } from './cluster-helpers.js';
import { SECRET, quietLog } from './gateway-helpers.js';
import { DATABASE_URL, pgStore } from './pg.js';
import { redisPlacement, testPrefix } from './redis.js';

const nodes: NodeProc[] = [];
let gw: GatewayNode | undefined;
let link: GrpcSectorLink | undefined;
let placement: RedisPlacement | undefined;
let store: PgStore | undefined;
afterEach(async () => {
  link?.stop();
  gw?.stop();
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
  await placement?.clear();
  await placement?.close();
  await store?.drop();
  await store?.close();
  gw = undefined; link = undefined; placement = undefined; store = undefined;
});

describe('crash recovery (SIGKILL of the owning node; real PostgreSQL, Redis and node processes)', () => {
  // kill points: mid-battle, right at a snapshot turn (snapshots every 2 s = 40 turns: its write is under way), later
  it.each([45, 80, 121])('SIGKILL at turn %i: the sector resumes on another node with every acknowledged order and the hashes of an uninterrupted run', async (killTurn) => {
    const prefix = testPrefix();
    const schema = `swtest_${prefix.replace(/-/g, '_')}`;
    store = await pgStore(schema);
    const sector = 'battle-crash';
    const common = ['--database', DATABASE_URL, '--schema', schema, '--lease-ttl', '1200', '--heartbeat', '250', '--snapshot-every', '2', '--tps', '20'];
    nodes.push(await startNode('A', prefix, ['--sector', sector, '--teams', '4', '--units', '1200', '--seed', '13', ...common]));
    nodes.push(await startNode('B', prefix, common));
    placement = await redisPlacement(prefix);
    link = new GrpcSectorLink(placement, sector);
    await link.start();
    gw = await startGateway({ link, secret: SECRET, log: quietLog, gateway: { messagesPerSecond: 1000, commandsPerSecond: 1000 } });
    await new Promise<void>((r) => { const un = link!.subscribe(() => { un(); r(); }); });
    const setup = generateSetup({ teams: 4, units: 1200, seed: 13, turnsPerSecond: 20 });
    setup.battleId = sector;
    const captain = setup.teams[0].players[2];
    const client = await GameClient.connect(gw.url);
    client.hello(await gw.tokens.mint({ player: captain.id, team: 'Alpha', role: captain.role, tier: 'gold', spectator: false }, 600));
    client.join(sector);
    await client.waitFor(() => client.welcome && client.updates.length > 0, 15_000, 'welcome');
    const mine = client.welcome!.yourUnits as number[];
    let stop = false, i = 0;
    const sender = (async () => {
      for (; !stop; i++) {
        client.command({ stance: { scope: { units: [mine[i % mine.length]] }, stance: i % 3 } }, `k${i}`);
        await new Promise((r) => setTimeout(r, 40));
      }
    })();
    await client.waitFor(() => client.turn >= killTurn, 20_000, `turn ${killTurn}`);
    const killedAt = performance.now();
    nodes[0].proc.kill('SIGKILL');
    const turnAtKill = client.turn;
    await client.waitFor(() => client.turn > turnAtKill + 30, 20_000, 'the sector turning again after the kill');
    const resumedMs = performance.now() - killedAt;
    stop = true;
    await sender;
    await new Promise((r) => setTimeout(r, 1500)); // last results
    expect((await placement.owner(sector))?.node).toBe('B');
    expect(resumedMs).toBeLessThan(5000);

    // every order the client was told was accepted is in the log exactly once
    const log = await store.turnsAfter(sector, 0);
    const applied = log.flatMap((t) => t.commands.map((c) => c.id));
    expect(new Set(applied).size).toBe(applied.length);
    const accepted = client.results.filter((r) => r.accepted).map((r) => `${captain.id}/${r.id as string}`);
    expect(accepted.length).toBeGreaterThan(20);
    for (const id of accepted) expect(applied).toContain(id);
    // and the battle from the start plus that log has, at the turn the gateway last saw, the hash it saw
    const last = link.latest()!;
    expect(replay(setup, log, last.turn).hashes[last.turn - 1]).toBe(last.hash);
    expect(client.desync).toBe(0);
    client.close();
  }, 120_000);
});
