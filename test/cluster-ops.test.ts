import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { REDIS_URL, redisPlacement, testPrefix } from './redis.js';

const run = promisify(execFile);
let prefix = '';
const cli = (...args: string[]) => run(process.execPath, ['deploy/cli/sectorwars.mjs', 'cluster', ...args, '--redis', REDIS_URL, '--prefix', prefix], { env: { ...process.env, HOME: mkdtempSync(join(tmpdir(), 'sw-')) } });

afterEach(async () => {
  await cli('down').catch(() => undefined);
  const p = await redisPlacement(prefix);
  await p.clear();
  await p.close();
});

describe('operator cluster commands (real processes, real Redis)', () => {
  it('up → status → drain → status → scale → down', async () => {
    prefix = testPrefix();
    const upOut = (await cli('up', '--nodes', '2', '--gateways', '1', '--sector', 'ops-1', '--units', '400', '--lease-ttl', '2000')).stdout;
    expect(upOut).toMatch(/started node-1/);
    expect(upOut).toMatch(/started gateway-1 .*ws:\/\/127\.0\.0\.1:\d+\/play/);
    const status = async () => JSON.parse((await cli('status', '--json')).stdout) as { nodes: { id: string; sectors: { sector: string; turn: number }[] }[]; leases: { sector: string; node: string }[] };
    let st = await status();
    expect(st.nodes.map((n) => n.id)).toEqual(['node-1', 'node-2']);
    expect(st.leases).toEqual([expect.objectContaining({ sector: 'ops-1', node: 'node-1' })]);
    expect(st.nodes[0].sectors[0].turn).toBeGreaterThan(0);
    const drained = (await cli('drain', '--node', 'node-1')).stdout;
    expect(drained).toMatch(/moved ops-1 from node-1 to node-2 at turn \d+ \(pause [\d.]+ ms\)/);
    expect(drained).toMatch(/stopped node-1/);
    await new Promise((r) => setTimeout(r, 3500)); // node-1's membership expires
    st = await status();
    expect(st.nodes.map((n) => n.id)).toEqual(['node-2']);
    expect(st.leases).toEqual([expect.objectContaining({ sector: 'ops-1', node: 'node-2' })]);
    const scaled = (await cli('scale', '--nodes', '2')).stdout;
    expect(scaled).toMatch(/started node-3/);
    st = await status();
    expect(st.nodes.map((n) => n.id).sort()).toEqual(['node-2', 'node-3']);
    expect((await cli('down')).stdout).toMatch(/stopped node-2[\s\S]*stopped node-3|stopped node-3[\s\S]*stopped node-2/);
  }, 90_000);
});
