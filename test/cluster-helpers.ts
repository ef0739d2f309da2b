// Real node processes on loopback for cluster tests.

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { nodeClient, unaryCall, type NodeClient } from '../cluster/grpc/clients.js';
import { REDIS_URL } from './redis.js';

/** Polls `probe` until it gives a truthy value (errors count as not yet), or fails naming `what` after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false | null>, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface NodeProc { id: string; address: string; proc: ChildProcess; client: NodeClient; stderr: string[]; stop(): Promise<void> }

export async function startNode(id: string, prefix: string, args: string[] = []): Promise<NodeProc> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'cluster/node/main.ts', '--id', id, '--redis', REDIS_URL, '--prefix', prefix, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  createInterface({ input: proc.stderr! }).on('line', (l) => { stderr.push(l); if (stderr.length > 200) stderr.shift(); });
  const ready = await new Promise<{ address: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node ${id} did not start: ${stderr.join('\n')}`)), 20_000);
    createInterface({ input: proc.stdout! }).once('line', (l) => { clearTimeout(timer); resolve(JSON.parse(l)); });
    proc.once('exit', (code) => reject(new Error(`node ${id} exited ${code}: ${stderr.join('\n')}`)));
  });
  const client = nodeClient(ready.address);
  return {
    id, address: ready.address, proc, client, stderr,
    stop: async () => {
      client.close();
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    },
  };
}

export function call<T>(client: NodeClient, method: 'migrateSector' | 'commandLog' | 'status' | 'rollback' | 'attachOverflow' | 'overflowTurn' | 'detachOverflow', req: object, timeoutMs = 10_000): Promise<T> {
  return unaryCall<T>(client, method, req, timeoutMs);
}
