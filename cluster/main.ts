// `npm start`: one node serving a demo battle in real time — the sector actors, time dilation,
// scripted bot commanders on 4 teams, and the uWebSockets.js gateway game clients connect to.
//
//   npm start -- [--teams 4] [--units 1600] [--seconds 0 (run until Ctrl-C)] [--tps 10] [--seed N] [--port 9001]

import { parseArgs } from 'node:util';
import { isDecided, leadingTeam, unitsPerTeam } from '../actors/sector/battle.js';
import { generateSetup } from '../actors/sector/scenario.js';
import type { PublishedTurn, SectorMsg } from '../actors/sector/sector-actor.js';
import { classifyBattle, chaosLevel } from '../actors/model/scale.js';
import { LoggerAuditLog } from '../gateway/audit.js';
import { tokenSecretFromEnv } from '../gateway/auth/tokens.js';
import { startLocal } from '../gateway/local.js';
import { NativeUwsMissing } from '../gateway/native.js';
import { botOrders } from './demo-bots.js';
import { log } from './log.js';
import { battleHash } from '../actors/sector/battle.js';
import { createBattle } from '../actors/sector/setup.js';
import { serializeBattle } from '../actors/sector/snapshot.js';
import { BufferedStoreLog } from './store/buffered-log.js';
import { PgStore } from './store/pg-store.js';
import { PgliteStore } from './store/pglite-store.js';
import { PgJobEffects, MemoryJobEffects } from './jobs/effects.js';
import { BullJobs, InProcessJobs } from './jobs/runner.js';
import { BattleRecorder } from './jobs/summary.js';

const { values } = parseArgs({
  options: {
    teams: { type: 'string', default: '4' }, units: { type: 'string', default: '1600' }, seconds: { type: 'string', default: '0' },
    tps: { type: 'string', default: '10' }, seed: { type: 'string', default: String(Date.now() % 100000) },
    port: { type: 'string', default: process.env.PORT ?? '9001' }, host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
  },
});
const teams = Number(values.teams), units = Number(values.units), tps = Number(values.tps), seed = Number(values.seed), seconds = Number(values.seconds);

const setup = generateSetup({ teams, units, seed, turnsPerSecond: tps, independents: 2, waves: { everySeconds: 20, baseUnits: 30, growth: 0.5 }, deploySeconds: 5 });
const { secret, development } = tokenSecretFromEnv();
if (development) log.warn('SECTORWARS_TOKEN_SECRET is not set: using the development secret (fine locally, never in production)');

const started = Date.now();
let lastPrint = 0;
const notes: string[] = [];

function render(t: PublishedTurn, cost: number): void {
  const counts = unitsPerTeam(node.battle);
  const cols = node.battle.roster.teams.map((team, i) => `${team.name.slice(0, 8)}:${counts[i]}`).join(' ');
  const g = node.gateway.stats;
  process.stdout.write(`t=${String(t.turn).padStart(5)} game ${(t.turn / tps).toFixed(1)}s  dilation ${t.dilation.toFixed(2)}  turn ${cost.toFixed(1)}ms  clients ${g.connected}  ${cols}\n`);
  for (const n of notes.splice(0)) process.stdout.write(`        ${n}\n`);
}

function onTurn(t: PublishedTurn, cost: number): boolean {
  for (const e of t.events) {
    if (e.type === 'joined') notes.push(`${e.player} warps in with ${e.team} (${e.units.length} units, fee ${e.fee})`);
    else if (e.type === 'betrayal') notes.push(`BETRAYAL: ${e.by} breaks its truce with ${e.against} (reputation ${e.reputation})`);
    else if (e.type === 'relation_changed') notes.push(`${e.teams.join(' & ')} now ${e.relation}`);
    else if (e.type === 'retreat_ordered') notes.push(`${e.player} retreats: ${e.mode}`);
    else if (e.type === 'wave_arrived') notes.push(`reinforcement wave ${e.wave} for ${e.team}: ${e.units} units`);
  }
  // bots decide the next turn's orders from what they see now
  for (const command of botOrders(node.battle, setup, t.turn + 1)) node.system.tell<SectorMsg>(node.sector, { type: 'submit', command });
  const now = Date.now();
  if (now - lastPrint >= 2000) { lastPrint = now; render(t, cost); }
  if (t.turn % (30 * tps) === 0) { // a snapshot every 30 s of game time, written in the background
    const b = node.battle;
    const turn = b.world.turn, hash = battleHash(b), bytes = serializeBattle(b);
    void commandLog.flushed().then((durable) => { if (durable) return store.saveSnapshot(setup.battleId, 1, turn, hash, bytes); throw new Error('the command log is not yet durable'); }).catch((err) => log.warn({ err: String(err) }, 'snapshot not saved')); // log first, then the snapshot
  }
  recorder ??= new BattleRecorder(node.battle);
  const summary = recorder.turn();
  if (summary) {
    void Promise.all([
      jobs.enqueue('settlement', `settlement/${summary.battleId}`, summary),
      jobs.enqueue('chronicle', `chronicle/${summary.battleId}`, summary),
      jobs.enqueue('archive', `archive/${summary.battleId}`, { battleId: summary.battleId, sector: summary.battleId }),
    ]).then(() => notes.push('battle decided: settlement, chronicle and archive jobs queued'));
  }
  if (isDecided(node.battle) && !decidedAt) {
    decidedAt = t.turn;
    process.stdout.write(`\nBattle decided at turn ${t.turn}: ${node.battle.roster.teams[leadingTeam(node.battle)].name} holds the sector. Still serving; Ctrl-C stops.\n`);
  }
  return seconds > 0 && now - started > seconds * 1000;
}
let decidedAt = 0;

// the battle's command log and snapshots: PostgreSQL with DATABASE_URL, else embedded PostgreSQL (PGlite) in memory
const store = process.env.DATABASE_URL ? new PgStore(process.env.DATABASE_URL, process.env.SECTORWARS_SCHEMA ?? 'sectorwars') : new PgliteStore();
await store.migrate();
const battleForStore = createBattle(setup);
await store.saveSnapshot(setup.battleId, 1, 0, battleHash(battleForStore), serializeBattle(battleForStore));
const commandLog = new BufferedStoreLog(store, setup.battleId, () => 1, 0, { onError: (err) => log.warn({ err: String(err) }, 'command log write failed; retrying') });
log.info({ store: process.env.DATABASE_URL ? 'postgresql' : 'embedded (PGlite)' }, 'battle log store ready');
// jobs when the battle is decided: BullMQ with REDIS_URL (effects in PostgreSQL with DATABASE_URL), else in this process
const effects = store instanceof PgStore ? new PgJobEffects(store.pool) : new MemoryJobEffects();
const jobs = process.env.REDIS_URL ? new BullJobs(process.env.REDIS_URL, 'sw-jobs', effects, store) : new InProcessJobs(effects, store);
let recorder: BattleRecorder | null = null;

let node: Awaited<ReturnType<typeof startLocal>>;
try {
  node = await startLocal({ setup, secret, log, audit: new LoggerAuditLog(log.child({ stream: 'audit' })), server: { host: values.host, port: Number(values.port) }, onTurn, commandLog });
} catch (err) {
  if (err instanceof NativeUwsMissing) { log.fatal({ err }, 'refusing to start'); process.stderr.write(`sectorwars: ${err.message}\n`); process.exit(1); }
  throw err;
}
const players = node.battle.roster.players.length;
const pilot = node.battle.roster.players.find((p) => p.role === 'pilot')!;
log.info({ battleId: setup.battleId, seed, port: node.server.port, players, units: node.battle.world.liveCount }, 'node serving');
process.stdout.write([
  `SectorWars node: battle ${setup.battleId} (seed ${seed}), ${teams} teams + 2 independents, ${node.battle.world.liveCount} units, ${players} players,`,
  `  ${classifyBattle(players, node.battle.world.liveCount)}, chaos ${chaosLevel(players)}, ${tps} turns/s. Bots command every team.`,
  `Game clients connect to:  ws://${values.host}:${node.server.port}/play   (health: http://${values.host}:${node.server.port}/health)`,
  `A token to play ${pilot.id} (${node.battle.roster.teams[pilot.team].name}, pilot):`,
  `  npx sectorwars token --player ${pilot.id} --team ${node.battle.roster.teams[pilot.team].name} --role pilot --tier gold`,
  `Ctrl-C stops.`,
  '',
].join('\n'));

// once: a signal stops the loop, and the loop ending (battle decided, or that stop) calls this too
let stopping: Promise<void> | null = null;
function shutdown(): Promise<void> {
  return (stopping ??= stopOnce());
}

async function stopOnce(): Promise<void> {
  await node.stop();
  const w = node.battle.world;
  process.stdout.write(`\nStopped after ${w.turn} turns (${(w.turn / tps).toFixed(1)} s game time). ${isDecided(node.battle) ? 'Winner' : 'Leading'}: ${node.battle.roster.teams[leadingTeam(node.battle)].name}\n`);
  node.battle.roster.teams.forEach((t, i) => process.stdout.write(`  ${t.name.padEnd(14)} lost ${String(w.stats.lost[i]).padStart(5)} units, ${w.stats.lostValue[i]} credits; crews saved ${w.stats.crewSaved[i]}, retreated ${w.stats.retreated[i]}, reputation ${t.reputation}\n`));
  await commandLog.flushed();
  const chron = await effects.chronicleOf(setup.battleId);
  if (chron) process.stdout.write(`  chronicle: winner ${chron.winner}; ${chron.decisiveMoments.length} decisive moments; top performer ${chron.topPerformers[0]?.team ?? '-'}\n`);
  await jobs.close();
  process.stdout.write(`  command log: ${(await store.turnsAfter(setup.battleId, 0)).length} turns with orders stored\n`);
  await store.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
void node.loop.start().then(() => shutdown());
