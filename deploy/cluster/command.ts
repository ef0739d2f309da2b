// `sectorwars cluster up|status|drain|rebalance|scale|down` — argument parsing and output for ops.ts.

import { parseArgs } from 'node:util';
import { down, drain, rebalance, rollback, scale, status, up, type ClusterOptions } from './ops.js';
import { readDeadLetters } from '../../cluster/jobs/runner.js';

export const CLUSTER_USAGE = `usage: sectorwars cluster <up|status|drain|rebalance|scale|down> [options]
  common:    --redis URL (default $REDIS_URL or redis://127.0.0.1:6379)  --prefix NAME (default $SECTORWARS_PREFIX or sw)
             --database URL (default $DATABASE_URL; nodes log, snapshot and recover sectors there; none: in memory)
  up:        --nodes N (2) --gateways M (1) --sector ID (battle-1) --units N (2000) --teams N (4) --seed N (7) --lease-ttl MS (3000)
  status:    [--json]   nodes, sectors per node, players, units, turn cost, overflow
  drain:     --node ID   move its sectors to the least loaded nodes, then stop it
  rebalance: [--max-moves N (1)]   one round, most to least loaded
  scale:     --nodes N   start empty nodes, or drain and stop the newest
  rollback:  --sector ID --turn N   roll the sector back to that turn (the last valid state; later history is discarded)
  dead-letters: [--json]   jobs that failed every attempt (settlement, chronicle, archive, production, waves)
  down:      stop every process this prefix started`;

export async function runCluster(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      redis: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }, prefix: { type: 'string', default: process.env.SECTORWARS_PREFIX ?? 'sw' },
      database: { type: 'string', default: process.env.DATABASE_URL ?? '' },
      nodes: { type: 'string', default: '2' }, gateways: { type: 'string', default: '1' }, sector: { type: 'string', default: 'battle-1' },
      units: { type: 'string', default: '2000' }, teams: { type: 'string', default: '4' }, seed: { type: 'string', default: '7' },
      'lease-ttl': { type: 'string', default: '3000' }, node: { type: 'string' }, turn: { type: 'string' }, 'max-moves': { type: 'string', default: '1' }, json: { type: 'boolean', default: false },
    },
  });
  const o: ClusterOptions = { redis: values.redis, prefix: values.prefix, database: values.database || undefined };
  const say = (s: string) => process.stdout.write(s + '\n');
  switch (sub) {
    case 'up':
      await up(o, { nodes: Number(values.nodes), gateways: Number(values.gateways), sector: values.sector, units: Number(values.units), teams: Number(values.teams), seed: Number(values.seed), leaseTtlMs: Number(values['lease-ttl']) }, say);
      return 0;
    case 'status': {
      const st = await status(o);
      if (values.json) { say(JSON.stringify(st)); return 0; }
      say('node        address               sectors  players  units   turn ms');
      for (const n of st.nodes) {
        const sum = (k: 'players' | 'units') => n.sectors.reduce((a, s) => a + s[k], 0);
        say(`${n.id.padEnd(11)} ${n.address.padEnd(21)} ${String(n.sectors.length).padStart(7)}  ${String(sum('players')).padStart(7)}  ${String(sum('units')).padStart(5)}  ${n.sectors.reduce((a, s) => a + s.turnMs, 0).toFixed(2).padStart(8)}`);
        for (const s of n.sectors) {
          const spread = s.overflowNodes.length > 0 ? `, overflowing onto ${s.overflowNodes.join(', ')}` : '';
          say(`  ${s.sector}: turn ${s.turn}, ${s.activePlayers} fighting, turn p99 ${s.turnMsP99.toFixed(2)} ms, dilation ${s.dilation.toFixed(2)}, fencing token ${s.token}${spread}`);
        }
        for (const r of n.overflow) say(`  overflow for ${r.sector} (primary ${r.primary}): teams ${r.teams.join(', ')}, turn ${r.turn}, ${r.orders} orders taken in`);
      }
      return 0;
    }
    case 'drain':
      if (!values.node) throw Object.assign(new Error('drain needs --node ID'), { usage: true });
      await drain(o, values.node, say);
      return 0;
    case 'rebalance':
      say(`${await rebalance(o, Number(values['max-moves']), say)} move(s)`);
      return 0;
    case 'scale':
      await scale(o, Number(values.nodes), Number(values['lease-ttl']), say);
      return 0;
    case 'rollback': {
      if (!values.turn) throw Object.assign(new Error('rollback needs --sector ID --turn N'), { usage: true });
      const r = await rollback(o, values.sector, Number(values.turn));
      say(r.ok ? `rolled ${values.sector} back to turn ${r.turn} (state hash ${r.hash})` : `rollback refused: ${r.error}`);
      return r.ok ? 0 : 1;
    }
    case 'dead-letters': {
      const dead = await readDeadLetters(o.redis, `${o.prefix}-jobs`);
      if (values.json) say(JSON.stringify(dead));
      else if (dead.length === 0) say('no dead letters');
      else for (const d of dead) say(`${d.kind.padEnd(11)} ${d.key}  after ${d.attempts} attempts: ${d.error}`);
      return 0;
    }
    case 'down':
      down(o, say);
      return 0;
    default:
      process.stderr.write(CLUSTER_USAGE + '\n');
      return 2;
  }
}
