// A node process: `node --import tsx cluster/node/main.ts --id n1 [--port 0] [--sector battle-7 --teams 4 --units 2000 --seed 7]`
// With REDIS_URL (or --redis) it joins that cluster's placement; it prints one JSON line {ready, id, address} on stdout.

import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { generateSetup } from '../../actors/sector/scenario.js';
import { createBattle } from '../../actors/sector/setup.js';
import { RedisPlacement } from '../placement/redis-placement.js';
import { MemoryPlacement } from '../placement/memory-placement.js';
import { NodeServer } from './node-server.js';
import { PgStore } from '../store/pg-store.js';
import { BullJobs } from '../jobs/runner.js';
import { WorldSchedule, type WorldPlan } from '../jobs/schedule.js';
import { readFileSync } from 'node:fs';
import { PgJobEffects } from '../jobs/effects.js';

const { values } = parseArgs({
  options: {
    id: { type: 'string' }, port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' },
    redis: { type: 'string', default: process.env.REDIS_URL ?? '' }, prefix: { type: 'string', default: process.env.SECTORWARS_PREFIX ?? 'sw' },
    'lease-ttl': { type: 'string', default: '3000' }, heartbeat: { type: 'string', default: '1000' },
    sector: { type: 'string' }, teams: { type: 'string', default: '4' }, units: { type: 'string', default: '2000' }, seed: { type: 'string', default: '7' },
    tps: { type: 'string', default: '10' }, 'units-per-player': { type: 'string', default: '100' },
    database: { type: 'string', default: process.env.DATABASE_URL ?? '' }, schema: { type: 'string', default: process.env.SECTORWARS_SCHEMA ?? 'sectorwars' },
    'snapshot-every': { type: 'string', default: '30' }, world: { type: 'string' },
    // overflow: spread a sector's teams over other nodes past this many fighting players, back below the low mark
    'overflow-players': { type: 'string', default: '100' }, 'overflow-low': { type: 'string', default: '80' },
    'overflow-deadline': { type: 'string', default: '250' }, 'overflow-cooldown': { type: 'string', default: '5000' }, 'replica-idle': { type: 'string', default: '10000' },
  },
});
const log = pino({ name: `node-${values.id}`, level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
if (!values.id) { process.stderr.write('usage: cluster/node/main.ts --id NODE [--port N] [--redis URL] [--sector ID ...]\n'); process.exit(2); }

const placement = values.redis ? new RedisPlacement(values.redis, values.prefix) : new MemoryPlacement();
if (placement instanceof RedisPlacement) await placement.ready();
const store = values.database ? new PgStore(values.database, values.schema) : undefined;
if (store) await store.migrate();
// jobs need both servers: BullMQ on Redis, their effects in PostgreSQL
const jobs = store && values.redis ? new BullJobs(values.redis, `${values.prefix}-jobs`, new PgJobEffects(store.pool), store) : undefined;
const node = new NodeServer({ id: values.id, host: values.host, port: Number(values.port), placement, leaseTtlMs: Number(values['lease-ttl']), heartbeatMs: Number(values.heartbeat), log, store, snapshotEverySeconds: Number(values['snapshot-every']), jobs,
  overflow: { highWater: Number(values['overflow-players']), lowWater: Number(values['overflow-low']), deadlineMs: Number(values['overflow-deadline']), cooldownMs: Number(values['overflow-cooldown']) },
  replicaIdleMs: Number(values['replica-idle']) });
const address = await node.start();
if (values.sector) {
  const setup = generateSetup({ teams: Number(values.teams), units: Number(values.units), seed: Number(values.seed), turnsPerSecond: Number(values.tps), unitsPerPlayer: Number(values['units-per-player']) });
  setup.battleId = values.sector;
  const won = await node.host(values.sector, createBattle(setup));
  log.info({ sector: values.sector, won }, won ? 'hosting sector' : 'sector already held elsewhere');
}
// the world's clock-driven jobs (production, waves): every node may run the same plan, each slot applies once
const schedule = values.world && jobs ? new WorldSchedule(jobs, JSON.parse(readFileSync(values.world, 'utf8')) as WorldPlan) : null;
if (schedule) { schedule.onError = (err) => log.warn({ err: String(err) }, 'world schedule: jobs not queued this tick'); schedule.start(); }
process.stdout.write(JSON.stringify({ ready: true, id: values.id, address }) + '\n');

const shutdown = async () => { schedule?.stop(); await node.stop(); await jobs?.close(); await placement.close(); await store?.close(); process.exit(0); };
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
