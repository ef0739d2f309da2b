// npm run bench:persistence — against the real PostgreSQL (and Redis for the crash runs):
//  1. command-ack latency at 2,000 orders/s: from submitting an order to its turn being durably logged (when the
//     gateway may tell the client "accepted"), one sector at 10 turns/s writing behind the turn;
//  2. snapshot cost for 5,000- and 50,000-unit sectors: serialise at the turn boundary (blocks the turn), then
//     compress and write (in the background);
//  3. recovery after SIGKILL of the owning node with default timeouts (lease 3 s, heartbeat 1 s): from the kill to
//     the first turn the sector runs on another node, median of several.

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { createActorSystem } from '../actors/runtime.js';
import { battleHash } from '../actors/sector/battle.js';
import { SectorLoop } from '../actors/sector/loop.js';
import { generateSetup, openingOrders } from '../actors/sector/scenario.js';
import { spawnSector, type SectorMsg } from '../actors/sector/sector-actor.js';
import { createBattle } from '../actors/sector/setup.js';
import { percentile } from '../actors/sector/simulate.js';
import { serializeBattle } from '../actors/sector/snapshot.js';
import { runTurn } from '../actors/sector/turn.js';
import { unitId } from '../actors/unit/world.js';
import { RedisPlacement } from '../cluster/placement/redis-placement.js';
import { BufferedStoreLog } from '../cluster/store/buffered-log.js';
import { PgStore } from '../cluster/store/pg-store.js';
import { GrpcSectorLink } from '../gateway/link/grpc-link.js';
import { LocalSectorLink } from '../gateway/link/sector-link.js';
import { startNode } from '../test/cluster-helpers.js';
import { table, writeBenchmarkSection } from './bench-table.js';

const DB = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const rows: (string | number)[][] = [];
const schema = () => `swbench_${randomUUID().slice(0, 8)}`;

// 1. ack latency
{
  const store = new PgStore(DB, schema());
  await store.migrate();
  const setup = generateSetup({ teams: 4, units: 2000, seed: 5, unitsPerPlayer: 10, waves: null });
  const battle = createBattle(setup);
  const system = createActorSystem('bench');
  const log = new BufferedStoreLog(store, setup.battleId, () => 1, 0);
  const sector = spawnSector(system, battle, log);
  const link = new LocalSectorLink(system, sector, battle);
  const pending = new Map<number, number[]>(); // turn → submit times
  const latencies: number[] = [];
  link.subscribe((f) => {
    for (const [turn, times] of pending) {
      if (turn > f.durableTurn) continue;
      const now = performance.now();
      for (const t of times) latencies.push(now - t);
      pending.delete(turn);
    }
  });
  const loop = new SectorLoop(system, sector, 10);
  void loop.start();
  const players = battle.roster.players;
  const rate = 2000, seconds = 15;
  let sent = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * rate) - sent;
      for (let k = 0; k < due; k++, sent++) {
        const p = players[sent % players.length];
        let slot = -1;
        for (let s = 0; s < battle.world.highWater && slot < 0; s++) if (battle.world.alive[s] && battle.world.owner[s] === p.index) slot = s;
        if (slot < 0) continue;
        const t = performance.now();
        void system.ask<SectorMsg, { queued: boolean; turn?: number }>(sector, (reply) => ({ type: 'submit', command: { id: `c${sent}`, player: p.id, kind: 'stance', scope: { units: [unitId(battle.world, slot)] }, stance: 'balanced' }, reply })).then((r) => {
          if (r.queued && r.turn !== undefined) { const list = pending.get(r.turn) ?? []; list.push(t); pending.set(r.turn, list); }
        });
      }
      if (performance.now() - started > seconds * 1000) { clearInterval(timer); resolve(); }
    }, 5);
  });
  await new Promise((r) => setTimeout(r, 1000));
  await loop.stop();
  system.shutdown();
  latencies.sort((a, b) => a - b);
  rows.push(['order → durably logged (ack may be sent)', `${rate}/s for ${seconds} s, 2,000 units, 10 turns/s`, latencies.length, percentile(latencies, 0.5).toFixed(1), percentile(latencies, 0.99).toFixed(1)]);
  console.log(`ack latency: p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms over ${latencies.length} orders`);
  await store.drop();
  await store.close();
}

// 2. snapshot cost
for (const units of [5000, 50_000]) {
  const store = new PgStore(DB, schema());
  await store.migrate();
  const setup = generateSetup({ teams: 8, units, seed: 3, waves: null });
  const b = createBattle(setup);
  runTurn(b, openingOrders(setup, b.world.width, b.world.height));
  for (let i = 0; i < 30; i++) runTurn(b);
  const ser: number[] = [], write: number[] = [];
  let size = 0, compressed = 0;
  for (let i = 0; i < 8; i++) {
    runTurn(b);
    let t = performance.now();
    const bytes = serializeBattle(b);
    const hash = battleHash(b);
    ser.push(performance.now() - t);
    size = bytes.length;
    compressed = gzipSync(bytes, { level: 1 }).length;
    t = performance.now();
    await store.saveSnapshot(setup.battleId, 1, b.world.turn, hash, bytes);
    write.push(performance.now() - t);
  }
  ser.sort((a, c) => a - c); write.sort((a, c) => a - c);
  rows.push([`snapshot, ${units.toLocaleString('en-US')} units`, `${(size / 1048576).toFixed(1)} MB → ${(compressed / 1048576).toFixed(1)} MB gzip; serialise + hash (in the turn) / compress + write (background)`, 8, `${percentile(ser, 0.5).toFixed(1)} / ${percentile(write, 0.5).toFixed(1)}`, `${percentile(ser, 0.99).toFixed(1)} / ${percentile(write, 0.99).toFixed(1)}`]);
  console.log(`snapshot ${units}: serialise p50 ${percentile(ser, 0.5).toFixed(1)} ms, write p50 ${percentile(write, 0.5).toFixed(1)} ms`);
  await store.drop();
  await store.close();
}

// 3. recovery after SIGKILL
{
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const prefix = `swbench-${randomUUID().slice(0, 8)}`;
    const sch = schema();
    const store = new PgStore(DB, sch);
    await store.migrate();
    const common = ['--database', DB, '--schema', sch, '--snapshot-every', '5'];
    const a = await startNode('A', prefix, ['--sector', 'rec', '--units', '2000', '--teams', '4', ...common]);
    const b = await startNode('B', prefix, common);
    const placement = new RedisPlacement(REDIS, prefix);
    await placement.ready();
    const link = new GrpcSectorLink(placement, 'rec');
    await link.start();
    await new Promise((r) => setTimeout(r, 3000));
    let killedAt = 0;
    const resumed = new Promise<number>((resolve) => {
      link.subscribe(() => { if (killedAt && link.latest() && performance.now() > killedAt) resolve(performance.now() - killedAt); });
    });
    // frames after the kill come only from the new owner
    a.proc.kill('SIGKILL');
    killedAt = performance.now();
    const ms = await Promise.race([resumed, new Promise<number>((r) => setTimeout(() => r(Infinity), 20_000))]);
    times.push(ms);
    console.log(`recovery run ${run + 1}: ${ms.toFixed(0)} ms`);
    link.stop();
    await b.stop();
    await a.stop();
    await placement.clear();
    await placement.close();
    await store.drop();
    await store.close();
  }
  times.sort((x, y) => x - y);
  rows.push(['recovery after SIGKILL (kill → first turn on the new node)', 'lease TTL 3 s, heartbeat 1 s, 2,000 units, snapshots every 5 s', times.length, `${percentile(times, 0.5).toFixed(0)} (median)`, `${times[times.length - 1].toFixed(0)} (max); target ≤ 5,000: ${times[times.length - 1] <= 5000 ? 'met' : 'NOT met'}`]);
}

const md = `## Persistence (\`npm run bench:persistence\`)

${new Date().toISOString().slice(0, 10)}, Node ${process.version}, this 2-core machine, PostgreSQL 15 and Redis on loopback.

${table(['measure', 'conditions', 'samples', 'p50 ms', 'p99 ms'], rows)}
`;
console.log('\n' + md);
writeBenchmarkSection('persistence', md);
process.exit(0);
