// npm run bench:gateway — one node (sector + gateway) in this process, N WebSocket clients in a
// separate driver process, one 5,000-unit battle at 10 turns/s. Reports turn→client latency, bytes
// per client per turn by role and tier, messages per second, and the server's CPU per turn per client.
//
//   npm run bench:gateway -- [clients=2000] [measureSeconds=30]

import { spawn } from 'node:child_process';
import { Session } from 'node:inspector';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateSetup } from '../actors/sector/scenario.js';
import { percentile } from '../actors/sector/simulate.js';
import { startLocal } from '../gateway/local.js';
import { GOD_VIEW, TurnView } from '../gateway/interest/turn-view.js';
import type { SessionClaims } from '../gateway/auth/tokens.js';
import { table, writeBenchmarkSection } from './bench-table.js';
import type { DriverPlan, DriverReport } from './driver.js';

const CLIENTS = Number(process.argv[2] ?? 2000);
const MEASURE_S = Number(process.argv[3] ?? 30);
const SPECTATOR_SHARE = 0.1;
const quiet = { info() {}, warn() {}, error(o: object, m?: string) { process.stderr.write(`${m} ${JSON.stringify(o)}\n`); } };

const players = Math.ceil(CLIENTS * (1 - SPECTATOR_SHARE));
// reinforcement waves (7 units per team every second) replace about what the fighting destroys: ~5,000 units throughout
const setup = generateSetup({ teams: 4, units: 5000, seed: 7, unitsPerPlayer: Math.max(1, Math.floor(5000 / players)), waves: { everySeconds: 1, baseUnits: 7, growth: 0 } });
const turnCost: number[] = [], dilation: number[] = [], fanout: number[] = [], liveUnits: number[] = [];
let measuring = false;
const node = await startLocal({
  setup, secret: 'bench-secret-bench-secret-bench-secret!', log: quiet,
  gateway: { resumeGraceMs: 5000, messagesPerSecond: 200 },
  server: { maxConnectionsPerIp: 100_000 },
  onTurn: (t, cost) => {
    if (measuring) { turnCost.push(cost); dilation.push(t.dilation); fanout.push(node.gateway.stats.fanoutMs); liveUnits.push(node.battle.world.liveCount); }
  },
});
const roster = node.battle.roster.players;
const tiers = ['gold', 'silver', 'bronze'] as const;
const clients = [];
for (let i = 0; i < CLIENTS; i++) {
  const p = roster[i];
  if (i < players && p) {
    const tier = tiers[i % 10 < 4 ? 0 : i % 10 < 7 ? 1 : 2];
    const claims: SessionClaims = { player: p.id, team: node.battle.roster.teams[p.team].name, role: p.role, tier, spectator: false };
    clients.push({ token: await node.tokens.mint(claims, 3600), role: p.role, tier, spectator: false });
  } else {
    clients.push({ token: await node.tokens.mint({ player: `spectator-${i}`, tier: 'bronze', spectator: true }, 3600), role: 'spectator', tier: 'free', spectator: true });
  }
}
const dir = mkdtempSync(join(tmpdir(), 'sw-bench-'));
const plan: DriverPlan = { url: node.url, battleId: setup.battleId, clients, warmupMs: 8000, measureMs: MEASURE_S * 1000, commandEveryMs: 2000, connectConcurrency: 100 };
writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
process.stderr.write(`bench:gateway: ${CLIENTS} clients (${players} players, ${CLIENTS - players} spectators), ${node.battle.world.liveCount} units, ${node.url}\n`);

const driver = spawn(process.execPath, ['--import', 'tsx', 'load/driver.ts', join(dir, 'plan.json'), join(dir, 'report.json')], { stdio: ['ignore', 'inherit', 'inherit'] });
// start measuring the server when the driver does (after its warm-up)
const connectBudget = Math.ceil(CLIENTS / plan.connectConcurrency) * 150;
await new Promise((r) => setTimeout(r, plan.warmupMs + connectBudget));
// BENCH_PROFILE=file.cpuprofile records a CPU profile of the server over the measured window only
const profiler = process.env.BENCH_PROFILE ? new Session() : null;
if (profiler) {
  profiler.connect();
  await new Promise<void>((r) => profiler.post('Profiler.enable', () => profiler.post('Profiler.start', () => r())));
}
// BENCH_HEAP=file.heapprofile samples the server's allocations over the measured window (where garbage comes from)
const heap = process.env.BENCH_HEAP ? new Session() : null;
if (heap) {
  heap.connect();
  await new Promise<void>((r) => heap.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }, () => r()));
}
const cpu0 = process.cpuUsage(), t0 = performance.now(), turn0 = node.battle.world.turn, sent0 = node.gateway.stats.messagesSent, bytes0 = node.gateway.stats.bytesSent, skipped0 = node.gateway.stats.skippedForBackpressure;
measuring = true;
// the same measure over 5 s windows too: how much it moves within one run
const windows: { cpu: NodeJS.CpuUsage; turn: number }[] = [{ cpu: process.cpuUsage(), turn: turn0 }];
const sampler = setInterval(() => windows.push({ cpu: process.cpuUsage(), turn: node.battle.world.turn }), 5000);
await new Promise<void>((r) => driver.on('exit', () => r()));
clearInterval(sampler);
measuring = false;
if (profiler) {
  await new Promise<void>((r) => profiler.post('Profiler.stop', (_e, res) => { writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(res.profile)); r(); }));
}
if (heap) {
  await new Promise<void>((r) => heap.post('HeapProfiler.stopSampling', (_e, res) => { writeFileSync(process.env.BENCH_HEAP!, JSON.stringify(res.profile)); r(); }));
}
const cpu = process.cpuUsage(cpu0), elapsed = performance.now() - t0, turns = node.battle.world.turn - turn0;
const msgs = node.gateway.stats.messagesSent - sent0, bytes = node.gateway.stats.bytesSent - bytes0;
const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as DriverReport;

// the baseline: every client receiving the whole battle at full detail each turn
const f = node.link.latest()!;
const tv = new TurnView(f, null, f.roster!.players.length, f.roster!.squadrons.length);
let fullState = 16;
for (let cell = 0; cell < tv.cols * tv.rows; cell++) fullState += tv.version(GOD_VIEW, cell, 0).fullBlob().length + 3;
await node.stop();

const cpuMsPerTurn = (cpu.user + cpu.system) / 1000 / turns;
const userMsPerTurn = cpu.user / 1000 / turns, systemMsPerTurn = cpu.system / 1000 / turns;
const connected = report.connected;
const rows: (string | number)[][] = [];
const allLatency: number[] = [];
const goldPilotPerTurn: number[] = [];
const pilotPerTurn: number[] = [];
let totalPerTurnBytes = 0, totalClients = 0;
for (const [group, g] of Object.entries(report.groups).sort()) {
  const [role, tier] = group.split('/');
  // bytes per turn for each client: everything it received while measuring, over the turns measured
  const perTurn = g.clientBytes.map((b) => b / Math.max(1, turns)).sort((a, b) => a - b);
  const lat = [...g.latencyMs].sort((a, b) => a - b);
  for (const l of g.latencyMs) allLatency.push(l);
  if (role === 'pilot') for (const b of perTurn) pilotPerTurn.push(b);
  if (role === 'pilot' && tier === 'gold') for (const b of perTurn) goldPilotPerTurn.push(b);
  for (const b of g.clientBytes) totalPerTurnBytes += b / Math.max(1, turns);
  totalClients += g.clients;
  rows.push([role, tier, g.clients, g.updates, percentile(perTurn, 0.5).toFixed(0), percentile(perTurn, 0.99).toFixed(0), lat.length ? percentile(lat, 0.5).toFixed(1) : '–', lat.length ? percentile(lat, 0.99).toFixed(1) : '–']);
}
allLatency.sort((a, b) => a - b);
pilotPerTurn.sort((a, b) => a - b);
goldPilotPerTurn.sort((a, b) => a - b);
const p50 = percentile(allLatency, 0.5), p99 = percentile(allLatency, 0.99);
const pilotMedian = percentile(pilotPerTurn, 0.5);
const perClientMs = cpuMsPerTurn / connected;
const windowCosts: number[] = [];
for (let k = 1; k < windows.length; k++) {
  const a = windows[k - 1], b = windows[k], dt = b.turn - a.turn;
  if (dt > 0) windowCosts.push((b.cpu.user - a.cpu.user + b.cpu.system - a.cpu.system) / 1000 / dt / connected);
}
windowCosts.sort((a, b) => a - b);
const avgPerClient = totalPerTurnBytes / Math.max(1, totalClients);
const sortedCost = [...turnCost].sort((a, b) => a - b), sortedFan = [...fanout].sort((a, b) => a - b);
const summary = [
  ['clients connected', `${connected} of ${CLIENTS} (${report.failed} failed; closes ${JSON.stringify(report.closed)})`],
  ['turns measured', `${turns} in ${(elapsed / 1000).toFixed(1)} s (${(turns / (elapsed / 1000)).toFixed(1)} turns/s), dilation min ${Math.min(...dilation).toFixed(2)}`],
  ['units alive while measuring', `mean ${Math.round(liveUnits.reduce((a, b) => a + b, 0) / liveUnits.length).toLocaleString('en-US')}, from ${liveUnits[0].toLocaleString('en-US')} to ${liveUnits[liveUnits.length - 1].toLocaleString('en-US')} (units die; reinforcement waves arrive every second)`],
  ['turn → client latency', `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (target p99 ≤ 100 ms: ${p99 <= 100 ? 'met' : 'NOT met'})`],
  ['server CPU per turn', `${cpuMsPerTurn.toFixed(2)} ms: user ${userMsPerTurn.toFixed(2)} ms (kernel, actors, fan-out, uWS) + system ${systemMsPerTurn.toFixed(2)} ms (the OS's TCP stack: on loopback it also does the receiving side's work)`],
  ['server CPU per turn ÷ clients (whole process, user + system)', `${perClientMs.toFixed(4)} ms over the window (target ≤ 0.02 ms: ${perClientMs <= 0.02 ? 'met' : 'NOT met'}); in ${windowCosts.length} windows of 5 s: median ${percentile(windowCosts, 0.5).toFixed(4)}, highest ${(windowCosts.at(-1) ?? 0).toFixed(4)}`],
  ['parts of it per client per turn', `user CPU alone ${(userMsPerTurn / connected).toFixed(4)} ms; the fan-out alone (building and sending every client's update, in the turn) p50 ${(percentile(sortedFan, 0.5) / connected).toFixed(4)} ms`],
  ['turn + fan-out (in the sector loop)', `p50 ${percentile(sortedCost, 0.5).toFixed(2)} ms, p99 ${percentile(sortedCost, 0.99).toFixed(2)} ms; fan-out alone p50 ${percentile(sortedFan, 0.5).toFixed(2)} ms, p99 ${percentile(sortedFan, 0.99).toFixed(2)} ms`],
  ['messages per second', `${(msgs / (elapsed / 1000)).toFixed(0)} sent, about one per update (${(bytes / (elapsed / 1000) / 1e6).toFixed(2)} MB/s); updates skipped for backpressure: ${node.gateway.stats.skippedForBackpressure - skipped0}`],
  ['pilot bytes per turn', `median over all pilots ${pilotMedian.toFixed(0)} B (target ≤ 2,048 B: ${pilotMedian <= 2048 ? 'met' : 'NOT met'}); gold pilots (an update every turn) median ${percentile(goldPilotPerTurn, 0.5).toFixed(0)} B, p99 ${percentile(goldPilotPerTurn, 0.99).toFixed(0)} B`],
  ['full-state broadcast', `${fullState} B per client per turn; our average ${avgPerClient.toFixed(0)} B per client per turn: ${(fullState / avgPerClient).toFixed(0)}× fewer (target ≥ 20×: ${fullState / avgPerClient >= 20 ? 'met' : 'NOT met'})`],
  ['commands', `${report.commandsSent} sent, ${report.results.accepted} accepted, ${report.results.rejected} rejected ${JSON.stringify(report.results.reasons)}`],
];
const md = `## Gateway (\`npm run bench:gateway\`)

${new Date().toISOString().slice(0, 10)}, Node ${process.version}, this 2-core machine with the load driver (a separate Node process) on it.
One 5,000-unit battle (reinforcement waves replace about what the fighting destroys), 4 teams, 10 turns/s; ${CLIENTS} clients: ${players} players (40% gold, 30% silver, 30% bronze; every
role of the chain of command) and ${CLIENTS - players} free spectators. Players send an order every ~2 s and ack once a second. Measured for ${MEASURE_S} s
after an ${plan.warmupMs / 1000} s warm-up. Latency is from the server's send time stamped in each update to its arrival in the
driver (same clock). Bytes per turn per client: all update bytes a client received while measuring, over the turns measured
(updates carry the client's events and order results too: one message per client per update).

${table(['measure', 'value'], summary)}

${table(['role', 'tier', 'clients', 'updates received', 'bytes per turn per client, median', 'p99', 'latency p50 ms', 'latency p99 ms'], rows)}
`;
console.log(md);
writeBenchmarkSection('gateway', md);
process.exit(0);
