// npm run bench:cluster — live migration pause between two real node processes (real Redis, gRPC):
// the sector stops at a turn boundary on one node and resumes on the other; the pause is from the end
// of its last turn on the source to the target running it. Sectors of 1,000 and 10,000 units.
//
//   npm run bench:cluster -- [moves=20]

import { randomUUID } from 'node:crypto';
import { percentile } from '../actors/sector/simulate.js';
import { RedisPlacement } from '../cluster/placement/redis-placement.js';
import { startNode, call } from '../test/cluster-helpers.js';
import { table, writeBenchmarkSection } from './bench-table.js';

const MOVES = Number(process.argv[2] ?? 40);
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

const md = `## Cluster (\`npm run bench:cluster\`)

${new Date().toISOString().slice(0, 10)}, Node ${process.version}, two node processes on this 2-core machine, real Redis, gRPC on loopback.
A sector in a 4-team battle at 10 turns/s is moved back and forth ${MOVES} times (after ${WARMUP_MOVES} uncounted warm-up moves); the pause runs from the end of its last
turn on the source (stopped at a turn boundary) to the target holding the lease with a new fencing token and running it:
serialising the whole state (typed-array columns), the gRPC transfer, the lease hand-off in Redis and the restore.

${table(['units', 'moves', 'last turn', 'pause p50 ms', 'pause p99 ms', 'target p99 ms'], rows)}

Not measured yet: overflow of a 300-player sector onto 3 nodes (overflow is not built yet).
`;
console.log('\n' + md);
writeBenchmarkSection('cluster', md);
process.exit(0);
