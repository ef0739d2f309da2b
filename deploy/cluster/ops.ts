// `sectorwars cluster …`: what an operator runs to start a local cluster of N nodes and M gateways,
// scale it, drain a node (move its sectors away, then stop it), rebalance, and see its status.
// Processes run detached with logs under .sectorwars/<prefix>/; their pids are kept in state.json there.

import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { nodeClient, unaryCall } from '../../cluster/grpc/clients.js';
import { RedisPlacement } from '../../cluster/placement/redis-placement.js';
import { leastLoaded, planRebalance, type SectorLoad } from '../../cluster/placement/rebalance.js';
import type { NodeInfo } from '../../cluster/placement/placement.js';

export interface ClusterOptions { redis: string; prefix: string; dir?: string; database?: string }
interface Proc { kind: 'node' | 'gateway'; id: string; pid: number; address: string }
interface State { procs: Proc[]; sector?: string }

const stateDir = (o: ClusterOptions) => o.dir ?? join('.sectorwars', o.prefix);
function loadState(o: ClusterOptions): State {
  const f = join(stateDir(o), 'state.json');
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as State) : { procs: [] };
}
function saveState(o: ClusterOptions, s: State): void {
  mkdirSync(stateDir(o), { recursive: true });
  writeFileSync(join(stateDir(o), 'state.json'), JSON.stringify(s, null, 2));
}
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

async function launch(o: ClusterOptions, kind: 'node' | 'gateway', id: string, args: string[]): Promise<Proc> {
  mkdirSync(stateDir(o), { recursive: true });
  const logFile = openSync(join(stateDir(o), `${id}.log`), 'a');
  const script = kind === 'node' ? 'cluster/node/main.ts' : 'gateway/main.ts';
  const store = kind === 'node' && o.database ? ['--database', o.database, '--schema', o.prefix.replace(/[^a-zA-Z0-9_]/g, '_')] : [];
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args, '--redis', o.redis, '--prefix', o.prefix, ...store], { detached: true, stdio: ['ignore', 'pipe', logFile] });
  const ready = await new Promise<{ address?: string; url?: string }>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${id} did not start in 30 s: see ${join(stateDir(o), `${id}.log`)}`)), 30_000);
    createInterface({ input: child.stdout! }).once('line', (l) => { clearTimeout(t); resolve(JSON.parse(l)); });
    child.once('exit', (code) => { clearTimeout(t); reject(new Error(`${id} exited with ${code}: see ${join(stateDir(o), `${id}.log`)}`)); });
  });
  child.stdout!.destroy();
  child.unref();
  return { kind, id, pid: child.pid!, address: ready.address ?? ready.url ?? '' };
}

export async function up(o: ClusterOptions, p: { nodes: number; gateways: number; sector: string; units: number; teams: number; seed: number; leaseTtlMs: number }, say: (s: string) => void): Promise<State> {
  const state = loadState(o);
  state.sector = p.sector;
  for (let i = 1; i <= p.nodes; i++) {
    const id = `node-${i}`;
    const args = ['--id', id, '--lease-ttl', String(p.leaseTtlMs), ...(i === 1 ? ['--sector', p.sector, '--units', String(p.units), '--teams', String(p.teams), '--seed', String(p.seed)] : [])];
    const proc = await launch(o, 'node', id, args);
    state.procs.push(proc);
    say(`started ${id} (pid ${proc.pid}) at ${proc.address}`);
  }
  for (let i = 1; i <= p.gateways; i++) {
    const proc = await launch(o, 'gateway', `gateway-${i}`, ['--sector', p.sector, '--port', '0']);
    state.procs.push(proc);
    say(`started gateway-${i} (pid ${proc.pid}): ${proc.address}`);
  }
  saveState(o, state);
  return state;
}

export interface NodeStatusRow {
  id: string;
  address: string;
  sectors: { sector: string; turn: number; players: number; activePlayers: number; units: number; turnMs: number; turnMsP99: number; dilation: number; token: number; overflowNodes: string[] }[];
  /** Teams this node runs for sectors whose primary is another node. */
  overflow: { sector: string; primary: string; teams: number[]; turn: number; orders: number }[];
}

export async function status(o: ClusterOptions): Promise<{ nodes: NodeStatusRow[]; leases: { sector: string; node: string; token: number }[] }> {
  const placement = new RedisPlacement(o.redis, o.prefix);
  await placement.ready();
  try {
    const members = await placement.members();
    const nodes = await Promise.all(members.map(async (m) => {
      const c = nodeClient(m.address);
      try {
        const s = await unaryCall<Pick<NodeStatusRow, 'sectors' | 'overflow'>>(c, 'status', {}, 2000);
        return { id: m.id, address: m.address, sectors: s.sectors, overflow: s.overflow ?? [] };
      } catch {
        return { id: m.id, address: m.address, sectors: [], overflow: [] };
      } finally { c.close(); }
    }));
    const leases = (await placement.leases()).map((l) => ({ sector: l.sector, node: l.node, token: l.token }));
    return { nodes, leases };
  } finally { await placement.close(); }
}

async function migrate(from: NodeInfo, sector: string, to: string): Promise<{ ok: boolean; turn: number; pauseMs: number; error: string }> {
  const c = nodeClient(from.address);
  try {
    return await unaryCall(c, 'migrateSector', { sector, toNode: to }, 15_000);
  } finally { c.close(); }
}

/** Moves every sector off `nodeId` to the least loaded other nodes, then stops it. */
export async function drain(o: ClusterOptions, nodeId: string, say: (s: string) => void): Promise<void> {
  const placement = new RedisPlacement(o.redis, o.prefix);
  await placement.ready();
  try {
    const members = await placement.members();
    const node = members.find((m) => m.id === nodeId);
    if (!node) throw new Error(`no live node ${nodeId}`);
    for (const lease of (await placement.leases()).filter((l) => l.node === nodeId)) {
      const others = (await placement.members()).filter((m) => m.id !== nodeId);
      const target = leastLoaded(others);
      if (!target) throw new Error(`no other node to take ${lease.sector}`);
      const r = await migrate(node, lease.sector, target.id);
      if (!r.ok) throw new Error(`moving ${lease.sector} to ${target.id} failed: ${r.error}`);
      say(`moved ${lease.sector} from ${nodeId} to ${target.id} at turn ${r.turn} (pause ${r.pauseMs.toFixed(1)} ms)`);
    }
  } finally { await placement.close(); }
  stopProc(o, nodeId, say);
}

/** Rolls a sector back to `turn` on the node that runs it (needs nodes with a store). */
export async function rollback(o: ClusterOptions, sector: string, turn: number): Promise<{ ok: boolean; turn: number; hash: string; error: string }> {
  const placement = new RedisPlacement(o.redis, o.prefix);
  await placement.ready();
  try {
    const lease = await placement.owner(sector);
    const node = lease && (await placement.members()).find((m) => m.id === lease.node);
    if (!node) throw new Error(`no live node runs ${sector}`);
    const c = nodeClient(node.address);
    try {
      return await unaryCall(c, 'rollback', { sector, turn }, 30_000);
    } finally { c.close(); }
  } finally { await placement.close(); }
}

/** One rebalancing round: at most `maxMoves` sector moves from the most to the least loaded nodes. */
export async function rebalance(o: ClusterOptions, maxMoves: number, say: (s: string) => void): Promise<number> {
  const st = await status(o);
  const loads: SectorLoad[] = st.nodes.flatMap((n) => n.sectors.map((s) => ({ sector: s.sector, node: n.id, units: s.units, players: s.players, turnMs: s.turnMs })));
  const moves = planRebalance(st.nodes.map((n) => n.id), loads, maxMoves);
  for (const m of moves) {
    const from = st.nodes.find((n) => n.id === m.from)!;
    const r = await migrate({ id: from.id, address: from.address, load: { sectors: 0, players: 0, units: 0, turnMs: 0 } }, m.sector, m.to);
    say(r.ok ? `moved ${m.sector} ${m.from} → ${m.to} at turn ${r.turn} (pause ${r.pauseMs.toFixed(1)} ms)` : `move of ${m.sector} failed: ${r.error}`);
  }
  return moves.length;
}

/** Scales the node count up (new empty nodes) or down (draining the newest ones first). */
export async function scale(o: ClusterOptions, nodes: number, leaseTtlMs: number, say: (s: string) => void): Promise<void> {
  const state = loadState(o);
  const running = state.procs.filter((p) => p.kind === 'node' && alive(p.pid));
  let next = Math.max(0, ...state.procs.filter((p) => p.kind === 'node').map((p) => Number(p.id.split('-')[1]))) + 1;
  for (let n = running.length; n < nodes; n++) {
    const proc = await launch(o, 'node', `node-${next++}`, ['--id', `node-${next - 1}`, '--lease-ttl', String(leaseTtlMs)]);
    state.procs.push(proc);
    say(`started ${proc.id} (pid ${proc.pid}) at ${proc.address}`);
  }
  saveState(o, state);
  for (const p of running.slice(nodes).reverse()) await drain(o, p.id, say);
}

export function stopProc(o: ClusterOptions, id: string, say: (s: string) => void): void {
  const state = loadState(o);
  for (const p of state.procs.filter((x) => x.id === id)) {
    if (alive(p.pid)) { process.kill(p.pid, 'SIGTERM'); say(`stopped ${id} (pid ${p.pid})`); }
  }
  state.procs = state.procs.filter((x) => x.id !== id);
  saveState(o, state);
}

export function down(o: ClusterOptions, say: (s: string) => void): void {
  for (const p of loadState(o).procs) stopProc(o, p.id, say);
}
