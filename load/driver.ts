// The Node load driver: N WebSocket game clients in one process, playing the same session as the
// k6 scenario (load/k6/game-session.ts): hello, join, an ack after a snapshot and once a second, a few orders per
// second, pings. It reads only the header of each message (wire-peek) so the driver stays cheap.
//
//   node --import tsx load/driver.ts <plan.json> <report.json>   → writes one JSON report

import { readFileSync, writeFileSync } from 'node:fs';
import WebSocket from 'ws';
import { ClientMessage, ServerMessage } from '../gateway/codec.js';
import { peek } from './wire-peek.js';
import { AckPacer } from './k6/wire.ts';

export interface DriverClient { token: string; role: string; tier: string; spectator: boolean }
export interface DriverPlan {
  url: string;
  battleId: string;
  clients: DriverClient[];
  warmupMs: number;
  measureMs: number;
  commandEveryMs: number; // per player client
  connectConcurrency: number;
}
export interface DriverReport {
  connected: number;
  failed: number;
  closed: Record<string, number>;
  groups: Record<string, { clients: number; updates: number; bytesPerUpdate: number[]; latencyMs: number[]; updateTurns: number[]; clientBytes: number[] }>;
  results: { accepted: number; rejected: number; reasons: Record<string, number> };
  commandsSent: number;
  measuredMs: number;
}

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8')) as DriverPlan;
const report: DriverReport = { connected: 0, failed: 0, closed: {}, groups: {}, results: { accepted: 0, rejected: 0, reasons: {} }, commandsSent: 0, measuredMs: plan.measureMs };
let measuring = false;
let seed = 12345;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);

function ackBytes(turn: number): Uint8Array {
  // ClientMessage { ack (field 5) { turn (field 1) } } written by hand: this runs for every update
  const inner: number[] = [0x08];
  let t = turn;
  while (t > 0x7f) { inner.push((t & 0x7f) | 0x80); t >>>= 7; }
  inner.push(t);
  return Uint8Array.from([0x2a, inner.length, ...inner]);
}

function countResult(accepted: boolean, reason: string): void {
  if (accepted) { report.results.accepted++; return; }
  report.results.rejected++;
  report.results.reasons[reason] = (report.results.reasons[reason] ?? 0) + 1;
}

function startClient(c: DriverClient, i: number): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(plan.url);
    ws.binaryType = 'nodebuffer';
    const group = `${c.spectator ? 'spectator' : c.role}/${c.spectator ? 'free' : c.tier}`;
    const g = (report.groups[group] ??= { clients: 0, updates: 0, bytesPerUpdate: [], latencyMs: [], updateTurns: [], clientBytes: [] });
    let slot = -1; // this client's entry in g.clientBytes
    let units: number[] = [];
    let turn = 0;
    let timer: NodeJS.Timeout | undefined;
    let seq = 0;
    ws.on('open', () => {
      report.connected++;
      g.clients++;
      slot = g.clientBytes.push(0) - 1;
      ws.send(ClientMessage.encode(ClientMessage.fromObject({ seq: ++seq, hello: { token: c.token } })).finish());
      ws.send(ClientMessage.encode(ClientMessage.fromObject({ seq: ++seq, join: { battleId: plan.battleId, spectator: c.spectator } })).finish());
      if (!c.spectator) {
        timer = setInterval(() => {
          if (!measuring || units.length === 0) return;
          const u = units[Math.floor(rand() * units.length)];
          const order = rand() < 0.7 ? { move: { scope: { units: [u] }, x: 200 + rand() * 1800, y: 200 + rand() * 1800 } } : { stance: { scope: { units: [u] }, stance: Math.floor(rand() * 3) } };
          ws.send(ClientMessage.encode(ClientMessage.fromObject({ seq: ++seq, command: { id: `${i}-${seq}`, turn, ...order } })).finish());
          report.commandsSent++;
        }, plan.commandEveryMs + Math.floor(rand() * 200));
      }
      resolve();
    });
    const acks = new AckPacer();
    ws.on('message', (data: Buffer) => {
      const p = peek(data);
      if (p.kind === 1) {
        const w = ServerMessage.toObject(ServerMessage.decode(data), { arrays: true }) as { welcome: { yourUnits: number[] } };
        units = w.welcome.yourUnits ?? [];
      } else if (p.kind === 2 || p.kind === 3) {
        turn = p.turn;
        if (p.results && measuring) for (const r of p.results) countResult(r.accepted, r.reason); // results ride updates
        if (acks.due(p.kind === 2 ? 'snapshot' : 'delta')) ws.send(ackBytes(p.turn)); // the resume point, as the k6 scenario
        if (measuring) {
          g.updates++;
          g.bytesPerUpdate.push(data.length);
          g.clientBytes[slot] += data.length;
          g.latencyMs.push(Date.now() - p.serverTimeMs);
          if (g.updateTurns.length < 200) g.updateTurns.push(p.turn);
        }
      } else if (p.kind === 9 && measuring) {
        g.updates++;
        g.bytesPerUpdate.push(data.length);
        g.clientBytes[slot] += data.length;
        if (g.updateTurns.length < 200) g.updateTurns.push(p.turn);
      } else if (p.kind === 4 && measuring) {
        for (const r of p.results!) countResult(r.accepted, r.reason); // alone: a gateway refusal, or after a resume
      }
    });
    ws.on('close', (code) => { if (timer) clearInterval(timer); report.closed[code] = (report.closed[code] ?? 0) + 1; });
    ws.on('error', () => { report.failed++; resolve(); });
  });
}

async function main(): Promise<void> {
  for (let i = 0; i < plan.clients.length; i += plan.connectConcurrency) {
    await Promise.all(plan.clients.slice(i, i + plan.connectConcurrency).map((c, k) => startClient(c, i + k)));
  }
  process.stderr.write(`driver: ${report.connected} clients connected, warming up\n`);
  await new Promise((r) => setTimeout(r, plan.warmupMs));
  measuring = true;
  process.stderr.write('driver: measuring\n');
  await new Promise((r) => setTimeout(r, plan.measureMs));
  measuring = false;
  writeFileSync(process.argv[3] ?? '/dev/stdout', JSON.stringify(report)); // synchronous: exit must not cut it short
  process.exit(0);
}

void main();
