// npm run bench:cluster — live migration pause between two real node processes (real Redis, gRPC):
// the sector stops at a turn boundary on one node and resumes on the other; the pause is from the end
// of its last turn on the source to the target running it. Sectors of 1,000 and 10,000 units.
// Then overflow: a 300-player, 5,000-unit sector at 10 turns/s spread over 3 nodes, against the same
// sector held on one node (overflow off) in the same run.
//
//   npm run bench:cluster -- [moves=40] [overflowSeconds=30]

import { randomUUID } from 'node:crypto';
import { percentile } from '../actors/sector/simulate.js';
import { RedisPlacement } from '../cluster/placement/redis-placement.js';
import { startNode, call } from '../test/cluster-helpers.js';
import { table, writeBenchmarkSection } from './bench-table.js';
import { runOverflow, type OverflowRun } from './overflow-scenario.js';

const MOVES = Number(process.argv[2] ?? 40);
const OVERFLOW_SECONDS = Number(process.argv[3] ?? 30);
const ORDERS_PER_PLAYER_PER_SECOND = 1;
const WARMUP_MOVES = 4; // first moves compile the code paths on both nodes; not counted
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const rows: (string | number)[][] = [];

for (const units of [1000, 10_000]) {
  const prefix = `swbench-${randomUUID().slice(0, 8)}`;
  const sector = `bench-${units}`;
  const a = await startNode('A', prefix, ['--sector', sector, '--units', String(units), '--teams', '4', '--seed', '3', '--tps', '10']);
  const b = await startNode('B', prefix);
  await new Promise((r) => setTimeout(r, 3000)); // a few turns, into contact
  const pauses: number[] = [];
  let from = a, to = b, lastTurn = 0;
  for (let i = 0; i < WARMUP_MOVES + MOVES; i++) {
    const r = await call<{ ok: boolean; turn: number; pauseMs: number; error: string }>(from.client, 'migrateSector', { sector, toNode: to.id });
    if (!r.ok) throw new Error(`migration ${i} failed: ${r.error}`);
    if (i >= WARMUP_MOVES) pauses.push(r.pauseMs);
    lastTurn = r.turn;
    [from, to] = [to, from];
    await new Promise((r2) => setTimeout(r2, 300));
  }
  pauses.sort((x, y) => x - y);
  rows.push([units.toLocaleString('en-US'), MOVES, lastTurn, percentile(pauses, 0.5).toFixed(1), percentile(pauses, 0.99).toFixed(1), units === 1000 ? `≤ 100 (${percentile(pauses, 0.99) <= 100 ? 'met' : 'NOT met'})` : '–']);
  console.log(`${units} units: migration pause p50 ${percentile(pauses, 0.5).toFixed(1)} ms, p99 ${percentile(pauses, 0.99).toFixed(1)} ms`);
  await a.stop();
  await b.stop();
  const p = new RedisPlacement(REDIS, prefix);
  await p.ready();
  await p.clear();
  await p.close();
}

console.log('overflow: 300 players, 5,000 units, 10 turns/s');
const runs: [string, OverflowRun][] = [];
for (const overflow of [false, true]) {
  const r = await runOverflow(overflow, OVERFLOW_SECONDS, ORDERS_PER_PLAYER_PER_SECOND, console.log);
  runs.push([overflow ? 'overflow: primary A + overflow B, C' : 'baseline: one node (overflow off)', r]);
  console.log(`  ${r.nodes} node(s): turn p50 ${r.turnP50.toFixed(2)} ms, p99 ${r.turnP99.toFixed(2)} ms, ${r.turnsPerSecond.toFixed(2)} turns/s, dilation min ${r.dilationMin.toFixed(2)}`);
}
const base = runs[0][1];
const overflowRows = runs.map(([name, r]) => [
  name, r.players, r.units.toLocaleString('en-US'), Math.round(r.ordersPerSecond), `${(r.answered * 100).toFixed(1)}%`, r.turnsPerSecond.toFixed(2),
  r.turnP50.toFixed(2), r.turnP99.toFixed(2), `${(r.turnP99 / Math.max(1e-9, base.turnP99)).toFixed(2)}×`, `${r.dilationMin.toFixed(2)} / ${r.dilationP50.toFixed(2)}`,
  r.remoteOrders, r.fallbacks, Object.entries(r.cpu).map(([n, c]) => `${n} ${(c * 100).toFixed(0)}%`).join(', '),
]);

const md = `## Cluster (\`npm run bench:cluster\`)

${new Date().toISOString().slice(0, 10)}, Node ${process.version}, node processes on this 2-core machine, real Redis, gRPC on loopback.

### Live migration

A sector in a 4-team battle at 10 turns/s is moved back and forth ${MOVES} times (after ${WARMUP_MOVES} uncounted warm-up moves); the pause runs from the end of its last
turn on the source (stopped at a turn boundary) to the target holding the lease with a new fencing token and running it:
serialising the whole state (typed-array columns), the gRPC transfer, the lease hand-off in Redis and the restore.

${table(['units', 'moves', 'last turn', 'pause p50 ms', 'pause p99 ms', 'target p99 ms'], rows)}

### Overflow

One sector of 300 players (4 teams of 75) and 5,000 units at 10 turns/s; every player sends ${ORDERS_PER_PLAYER_PER_SECOND} order/s over gRPC
(unit moves, squadron moves, team attack-moves). With overflow, the primary A keeps the teams the assignment gives it and
asks B and C for the other teams' verdicts and plans every turn (their replicas follow every turn's orders). The baseline is
the same sector on one node with overflow off, in the same run. Turn cost is the primary's whole tick (intake on every
node, resolve, log) over the ${OVERFLOW_SECONDS} s measured (after 5 s of warm-up); dilation 1.00 means real time. CPU is each
node process's user + system time over the window, as a share of one core (the load driver and the gateway link share the
same two cores).

${table(['run', 'players', 'units', 'orders/s', 'answered', 'turns/s', 'turn p50 ms', 'turn p99 ms', 'p99 vs baseline', 'dilation min / p50', 'orders taken in remotely', 'node failures', 'CPU'], overflowRows)}
`;
console.log('\n' + md);
writeBenchmarkSection('cluster', md);
process.exit(0);
