import { afterEach, describe, expect, it } from 'vitest';
import type { Command } from '../actors/model/commands.js';
import type { LogEntry } from '../actors/sector/replay.js';
import { replay } from '../actors/sector/replay.js';
import { generateSetup } from '../actors/sector/scenario.js';
import type { RedisPlacement } from '../cluster/placement/redis-placement.js';
import { GameClient, entriesOf } from '../gateway/client/game-client.js';
import { GrpcSectorLink } from '../gateway/link/grpc-link.js';
import { startGateway, type GatewayNode } from '../gateway/local.js';
import { call, startNode, type NodeProc } from './cluster-helpers.js';
import { SECRET, quietLog } from './gateway-helpers.js';
import { redisPlacement, testPrefix } from './redis.js';

const nodes: NodeProc[] = [];
let gw: GatewayNode | undefined;
let link: GrpcSectorLink | undefined;
let placement: RedisPlacement | undefined;
afterEach(async () => {
  link?.stop();
  gw?.stop();
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
  await placement?.clear();
  await placement?.close();
  gw = undefined; link = undefined; placement = undefined;
});

describe('live migration between node processes (real Redis, gRPC)', () => {
  it('moves a running sector with orders in flight: none lost, none applied twice, hashes as if it had stayed, clients play on', async () => {
    const prefix = testPrefix();
    const sector = 'battle-mig';
    const params = ['--sector', sector, '--teams', '4', '--units', '1200', '--seed', '11', '--tps', '20', '--lease-ttl', '2000'];
    nodes.push(await startNode('A', prefix, params), await startNode('B', prefix));
    placement = await redisPlacement(prefix);
    link = new GrpcSectorLink(placement, sector);
    await link.start();
    gw = await startGateway({ link, secret: SECRET, log: quietLog, gateway: { messagesPerSecond: 1000, commandsPerSecond: 1000 } });
    await new Promise<void>((r) => { const un = link!.subscribe(() => { un(); r(); }); });

    const setup = generateSetup({ teams: 4, units: 1200, seed: 11, turnsPerSecond: 20 });
    setup.battleId = sector;
    const pilot = setup.teams[0].players[2]; // a captain (3 players per team at this size)
    const client = await GameClient.connect(gw.url);
    client.hello(await gw.tokens.mint({ player: pilot.id, team: 'Alpha', role: pilot.role, tier: 'gold', spectator: false }, 600));
    client.join(sector);
    await client.waitFor(() => client.welcome && client.updates.length > 0, 10_000, 'welcome and snapshot');
    const mine = client.welcome!.yourUnits as number[];

    // orders every ~30 ms across the migration
    const sent: string[] = [];
    let stop = false;
    const sender = (async () => {
      for (let i = 0; !stop; i++) {
        sent.push(client.command({ move: { scope: { units: [mine[i % mine.length]] }, x: 300 + (i % 40) * 10, y: 400 + (i % 30) * 10 } }, `o${i}`));
        await new Promise((r) => setTimeout(r, 30));
      }
    })();
    await client.waitFor(() => client.turn > 40, 10_000, 'turn 40');
    const moved = await call<{ ok: boolean; turn: number; pauseMs: number; error: string }>(nodes[0].client, 'migrateSector', { sector, toNode: 'B' });
    expect(moved.error).toBe('');
    expect(moved.ok).toBe(true);
    expect((await placement.owner(sector))?.node).toBe('B');
    const after = moved.turn + 40;
    await client.waitFor(() => client.turn > after, 15_000, `turn ${after} after the move`);
    stop = true;
    await sender;
    // let the last orders resolve
    await client.waitFor(() => client.results.length >= sent.length, 10_000, `results for all ${sent.length} orders (have ${client.results.length})`);

    // every order answered exactly once, and accepted (they are all valid moves of live units or refused for a dead unit)
    const ids = client.results.map((r) => r.id as string);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(sent));
    // the client played on: its view equals the server's view of it after the move
    await client.waitFor(() => client.turn > after + 5, 10_000, 'more turns');
    expect(client.desync).toBe(0);

    // the orders the two nodes applied, in order: each exactly once, and a replay gives the same hashes
    const logA = JSON.parse((await call<{ entriesJson: string }>(nodes[0].client, 'commandLog', { sector })).entriesJson) as LogEntry[];
    const logB = JSON.parse((await call<{ entriesJson: string }>(nodes[1].client, 'commandLog', { sector })).entriesJson) as LogEntry[];
    expect(logA.length).toBeGreaterThan(0);
    expect(logB.length).toBeGreaterThan(0);
    expect(Math.max(...logA.map((e) => e.turn))).toBeLessThanOrEqual(moved.turn);
    expect(Math.min(...logB.map((e) => e.turn))).toBeGreaterThan(moved.turn);
    const applied = [...logA, ...logB].flatMap((e) => e.commands.map((c: Command) => c.id));
    expect(new Set(applied).size).toBe(applied.length);
    expect(applied.length).toBe(sent.length);
    const lastFrame = link.latest()!;
    const reference = replay(setup, [...logA, ...logB], lastFrame.turn);
    expect(reference.hashes[lastFrame.turn - 1]).toBe(lastFrame.hash);
    expect(entriesOf(client.units()).size).toBeGreaterThan(0);
    client.close();
  }, 90_000);
});
