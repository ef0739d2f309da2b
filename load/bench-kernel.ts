// npm run bench:kernel — per-turn cost of the combat kernel (full turn: orders, movement, targeting,
// fire, damage, destruction, events, state hash) in battles of 200 to 200,000 units, measured once
// the fleets are in contact, against a stripped-down baseline kernel run in the same process.

import { performance } from 'node:perf_hooks';
import { generateSetup, openingOrders } from '../actors/sector/scenario.js';
import { createBattle } from '../actors/sector/setup.js';
import { runTurn } from '../actors/sector/turn.js';
import { percentile } from '../actors/sector/simulate.js';
import { EventKind } from '../actors/unit/enums.js';
import { isDecided } from '../actors/sector/battle.js';
import { ProgressBar } from '../deploy/cli/progress.js';
import { baselineStep, createBaseline } from './baseline-kernel.js';
import { table, writeBenchmarkSection } from './bench-table.js';

interface Scenario { name: string; teams: number; units: number; turns: number; reps: number; target: number; floor: number }
// `floor`: the reference p99 for a stripped-down kernel on this machine (ms), for scale.
const SCENARIOS: Scenario[] = [
  { name: '100v100', teams: 2, units: 200, turns: 300, reps: 10, target: 0.25, floor: 0.04 },
  { name: '500v500', teams: 2, units: 1000, turns: 300, reps: 4, target: 1, floor: 0 },
  { name: '5,000 in 8 teams', teams: 8, units: 5000, turns: 300, reps: 2, target: 3, floor: 0.6 },
  { name: '50,000 in 8 teams', teams: 8, units: 50_000, turns: 150, reps: 1, target: 25, floor: 3.3 },
  { name: '200,000 in 8 teams', teams: 8, units: 200_000, turns: 150, reps: 1, target: 100, floor: 15 },
];
const only = process.argv[2];
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (b: number) => (b / 1048576).toFixed(1);
const memory = () => { gc?.(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };

/** Bytes of every typed array the battle holds (world columns, grid, scratch). */
function typedBytes(o: unknown, seen = new Set<unknown>()): number {
  if (o === null || typeof o !== 'object' || seen.has(o)) return 0;
  seen.add(o);
  if (ArrayBuffer.isView(o)) return o.byteLength;
  let n = 0;
  for (const v of Object.values(o as Record<string, unknown>)) n += typedBytes(v, seen);
  return n;
}

const rows: (string | number)[][] = [];
for (const sc of SCENARIOS) {
  if (only && !sc.name.startsWith(only)) continue;
  const full: number[] = [], floor: number[] = [];
  let damaged = 0, destroyed = 0, heap = 0, arrays = 0, atContact = 0, warmTotal = 0;
  const bar = new ProgressBar(sc.reps * sc.turns, sc.name);
  for (let rep = 0; rep < sc.reps; rep++) {
    const before = memory();
    const setup = generateSetup({ teams: sc.teams, units: sc.units, seed: 7 + rep });
    const battle = createBattle(setup);
    const w = battle.world;
    // cruise until first contact (a turn with a hit), so the measured turns are combat turns
    runTurn(battle, openingOrders(setup, w.width, w.height));
    let warm = 1;
    for (; warm < 5000; warm++) {
      const o = runTurn(battle);
      let hit = false;
      for (let i = 0; i < o.kernelEvents.length; i += 4) if (o.kernelEvents[i] === EventKind.DAMAGED) { hit = true; break; }
      if (hit) break;
    }
    warmTotal += warm;
    atContact += w.liveCount;
    heap = Math.max(heap, memory() - before);
    arrays = Math.max(arrays, typedBytes({ w: battle.world, k: battle.kernel }));
    const base = createBaseline(w.x, w.y, w.team, w.highWater, w.width, w.height);
    for (let i = 0; i < 10; i++) baselineStep(base);
    for (let t = 0; t < sc.turns && !isDecided(battle); t++) {
      let t0 = performance.now();
      const o = runTurn(battle);
      full.push(performance.now() - t0);
      for (let i = 0; i < o.kernelEvents.length; i += 4) {
        if (o.kernelEvents[i] === EventKind.DAMAGED) damaged++;
        else if (o.kernelEvents[i] === EventKind.DESTROYED) destroyed++;
      }
      t0 = performance.now();
      baselineStep(base);
      floor.push(performance.now() - t0);
      bar.update(rep * sc.turns + t + 1);
    }
  }
  bar.finish();
  full.sort((a, b) => a - b); floor.sort((a, b) => a - b);
  const p50 = percentile(full, 0.5), p99 = percentile(full, 0.99), b50 = percentile(floor, 0.5), b99 = percentile(floor, 0.99);
  rows.push([
    sc.name, Math.round(atContact / sc.reps), Math.round(warmTotal / sc.reps), full.length, p50.toFixed(3), p99.toFixed(3), `≤ ${sc.target}`, p99 <= sc.target ? 'yes' : 'NO',
    sc.floor ? (p99 / sc.floor).toFixed(1) + '×' : '–', b50.toFixed(3), b99.toFixed(3), (p99 / b99).toFixed(2), mb(arrays), mb(heap),
    Math.round(damaged / full.length), (destroyed / full.length).toFixed(1),
  ]);
  console.log(`${sc.name}: p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms (naive baseline p99 ${b99.toFixed(3)} ms), typed arrays ${mb(arrays)} MB`);
}

const head = ['battle', 'units at contact', 'turns to contact', 'turns measured', 'p50 ms', 'p99 ms', 'target p99 ms', 'met', 'p99 ÷ reference floor', 'naive p50 ms', 'naive p99 ms', 'p99 ÷ naive', 'typed arrays MB', 'heap + buffers MB', 'hits/turn', 'kills/turn'];
const md = `## Kernel (\`npm run bench:kernel\`)

${new Date().toISOString().slice(0, 10)}, Node ${process.version}, one core of this 2-core machine. Each battle runs from its
generated start until the fleets first touch (a turn with a hit), then the measured turns, until the turn count or
the battle is decided; small battles are repeated over several seeds and pooled. A measured turn is a full
\`runTurn\` (orders, movement, targeting, fire, damage, destruction, events, 64-bit state hash).
"Reference floor" is the issue's stripped-down kernel on this machine (p99: 0.04 ms for 100v100, 0.6 ms for 5,000,
3.3 ms for 50,000, 15 ms for 200,000). "Naive" is our own stripped-down grid kernel (move, nearest hostile in a 5×5
block of cells with no team masks, fire, hash: \`load/baseline-kernel.ts\`) run on the same start in the same process.
"Typed arrays" counts every typed array one battle holds (world columns, grid, scratch); "heap + buffers" is the
growth of V8's heap plus array buffers from before the battle was built to contact, after GC (noisy for small battles).

${table(head, rows)}
`;
console.log('\n' + table(head, rows));
if (!only) writeBenchmarkSection('kernel', md);
