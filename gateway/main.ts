// A gateway process in front of a cluster: `node --import tsx gateway/main.ts --sector battle-7 --redis URL [--port 9001]`.
// It finds the sector's node in the placement directory and follows it across migrations.

import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { RedisPlacement } from '../cluster/placement/redis-placement.js';
import { LoggerAuditLog } from './audit.js';
import { tokenSecretFromEnv } from './auth/tokens.js';
import { GrpcSectorLink } from './link/grpc-link.js';
import { startGateway } from './local.js';
import { NativeUwsMissing } from './native.js';

const { values } = parseArgs({
  options: {
    sector: { type: 'string' }, redis: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    prefix: { type: 'string', default: process.env.SECTORWARS_PREFIX ?? 'sw' },
    port: { type: 'string', default: process.env.PORT ?? '9001' }, host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
  },
});
const log = pino({ name: 'gateway', level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
if (!values.sector) { process.stderr.write('usage: gateway/main.ts --sector ID [--redis URL] [--prefix P] [--port N]\n'); process.exit(2); }

const placement = new RedisPlacement(values.redis, values.prefix);
await placement.ready();
const link = new GrpcSectorLink(placement, values.sector, { log });
await link.start();
const { secret } = tokenSecretFromEnv();
try {
  const gw = await startGateway({ link, secret, log, audit: new LoggerAuditLog(log.child({ stream: 'audit' })), server: { host: values.host, port: Number(values.port) }, metrics: true });
  process.stdout.write(JSON.stringify({ ready: true, url: `ws://${values.host}:${gw.server.port}/play`, port: gw.server.port }) + '\n');
  const shutdown = () => { gw.stop(); link.stop(); void placement.close().then(() => process.exit(0)); };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
} catch (err) {
  if (err instanceof NativeUwsMissing) { process.stderr.write(`gateway: ${err.message}\n`); process.exit(1); }
  throw err;
}
