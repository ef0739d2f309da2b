// The overflow scenario of `npm run bench:cluster`: one sector of 300 players and 5,000 units at
// 10 turns/s, its players sending orders over gRPC, either spread over 3 node processes (overflow) or
// held on one (the baseline, overflow off). Reports the primary's turn cost, the turn rate reached, time
// dilation and each node's CPU.

import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Command } from '../actors/model/commands.js';
import type { RosterView, TurnFrame } from '../actors/sector/frame.js';
import { percentile } from '../actors/sector/simulate.js';
import { RedisPlacement } from '../cluster/placement/redis-placement.js';
import { GrpcSectorLink } from '../gateway/link/grpc-link.js';
import { call, startNode, until, type NodeProc } from '../test/cluster-helpers.js';

const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SHAPE = ['--teams', '4', '--units', '5000', '--units-per-player', '16.7', '--seed', '5', '--tps', '10']; // 4 × 75 = 300 players

export interface OverflowRun {
  nodes: number; players: number; units: number; seconds: number; ordersPerSecond: number; answered: number;
  turnsPerSecond: number; turnP50: number; turnP99: number; dilationMin: number; dilationP50: number;
  remoteOrders: number; fallbacks: number; cpu: Record<string, number>; // node → share of one core
}

interface SectorStatus { sector: string; activePlayers: number; units: number; overflowNodes: string[]; turnMsP50: number; turnMsP99: number; overflowOrders: number; overflowFallbacks: number }

const TICKS = 100; // USER_HZ of /proc/<pid>/stat on Linux
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime + stime
}

/** Orders a player would send: their own units moved (pilots, everyone), squadrons moved (captains), team attack-moves (supreme commanders). */
function orderFor(roster: RosterView, frame: TurnFrame, player: number, k: number): Command {
  const p = roster.players[player];
  const x = 500 + ((k * 7919 + player * 104_729) % 9000), y = 500 + ((k * 6271 + player * 7907) % 9000);
  const id = `${p.id}-${k}`;
  if (p.role === 'supreme_commander' && k % 5 === 0) return { id, player: p.id, kind: 'attack_move', scope: { team: true }, x, y } as Command;
  if (p.role === 'captain' && p.squadron >= 0) return { id, player: p.id, kind: 'move', scope: { squadron: roster.squadrons[p.squadron].id }, x, y } as Command;
  const units: number[] = [];
  for (let i = 0; i < frame.count && units.length < 10; i++) if (frame.owner[i] === player) units.push(frame.id[i]);
  return { id, player: p.id, kind: 'move', scope: { units: units.length > 0 ? units : [0] }, x, y } as Command;
}

export async function runOverflow(overflow: boolean, seconds: number, ordersPerPlayerPerSecond: number, log: (s: string) => void): Promise<OverflowRun> {
  const prefix = `swbench-${randomUUID().slice(0, 8)}`;
  const sector = 'bench-overflow';
  const nodes: NodeProc[] = [];
  const cooldown = ['--overflow-cooldown', '1000'];
  if (overflow) nodes.push(await startNode('B', prefix, cooldown), await startNode('C', prefix, cooldown));
  nodes.push(await startNode('A', prefix, ['--sector', sector, ...SHAPE, ...cooldown, ...(overflow ? [] : ['--overflow-players', '1000000'])]));
  const A = nodes[nodes.length - 1];
  const placement = new RedisPlacement(REDIS, prefix);
  await placement.ready();
  const link = new GrpcSectorLink(placement, sector);
  await link.start();
  let sender: NodeJS.Timeout | undefined;
  try {
    let frame: TurnFrame | null = null, roster: RosterView | null = null;
    let measuring = false;
    const arrivals: number[] = [], dilations: number[] = [];
    const answered = new Set<string>();
    link.subscribe((f) => {
      frame = f;
      if (f.roster) roster = f.roster;
      for (const r of f.results) answered.add(r.id);
      if (measuring) { arrivals.push(performance.now()); dilations.push(f.dilation); }
    });
    const status = async () => (await call<{ sectors: SectorStatus[] }>(A.client, 'status', {})).sectors.find((s) => s.sector === sector);
    await until('first frames', async () => frame !== null && roster !== null, 30_000, 100);
    if (overflow) await until('the sector to spread over 3 nodes', async () => (await status())?.overflowNodes.length === 2, 30_000, 100);
    log(`  ${overflow ? 'spread over A, B, C' : 'one node'}: ${(await status())!.activePlayers} players; warming up`);

    // players send orders every 100 ms, round-robin, without waiting for each other
    const players = roster!.players.length;
    const perTick = Math.max(1, Math.round(players * ordersPerPlayerPerSecond / 10));
    let k = 0, next = 0;
    const sentIds: string[] = [];
    sender = setInterval(() => {
      for (let i = 0; i < perTick; i++) {
        const player = next++ % players;
        const cmd = orderFor(roster!, frame!, player, k++);
        if (measuring) sentIds.push(cmd.id);
        void link.submit(cmd).catch(() => undefined);
      }
    }, 100);
    await new Promise((r) => setTimeout(r, 5000));
    const cpu0 = Object.fromEntries(nodes.map((n) => [n.id, cpuSeconds(n.proc.pid!)]));
    const t0 = performance.now();
    measuring = true;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    measuring = false;
    const wall = (performance.now() - t0) / 1000;
    const cpu = Object.fromEntries(nodes.map((n) => [n.id, (cpuSeconds(n.proc.pid!) - cpu0[n.id]) / wall]));
    const s = (await status())!; // its percentiles cover the last 300 turns: the measured window
    clearInterval(sender);
    await new Promise((r) => setTimeout(r, 500));
    dilations.sort((a, b) => a - b);
    return {
      nodes: nodes.length, players: s.activePlayers, units: s.units, seconds: wall, ordersPerSecond: sentIds.length / wall, answered: sentIds.filter((id) => answered.has(id)).length / Math.max(1, sentIds.length),
      turnsPerSecond: arrivals.length / wall, turnP50: s.turnMsP50, turnP99: s.turnMsP99, dilationMin: dilations[0] ?? 0, dilationP50: percentile(dilations, 0.5),
      remoteOrders: s.overflowOrders, fallbacks: s.overflowFallbacks, cpu,
    };
  } finally {
    clearInterval(sender); // also when a status call failed: the sender must not outlive the link
    link.stop();
    await Promise.all(nodes.map((n) => n.stop()));
    await placement.clear();
    await placement.close();
  }
}
