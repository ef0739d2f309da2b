// Loads proto/sectorwars/cluster/v1/node.proto for @grpc/grpc-js, and converts TurnFrames to and from
// its Frame message (columns travel as raw little-endian bytes: no per-unit encoding).

import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as loader from '@grpc/proto-loader';
import type { TurnFrame } from '../../actors/sector/frame.js';

const PROTO = fileURLToPath(new URL('../../proto/sectorwars/cluster/v1/node.proto', import.meta.url));
const def = loader.loadSync(PROTO, { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true });
const pkg = grpc.loadPackageDefinition(def) as unknown as { sectorwars: { cluster: { v1: { SectorNode: grpc.ServiceClientConstructor & { service: grpc.ServiceDefinition } } } } };
export const SectorNodeService = pkg.sectorwars.cluster.v1.SectorNode;

export interface FrameMsg {
  battleId: string; turn: number; hash: string; dilation: number; width: number; height: number; turnsPerSecond: number; count: number;
  id: Buffer; type: Buffer; team: Buffer; owner: Buffer; squad: Buffer; x: Buffer; y: Buffer; hull: Buffer; shield: Buffer; target: Buffer; deploying: Buffer;
  teamCount: number; relations: Buffer; lost: Buffer; resultsJson: string; eventsJson: string; kernelEvents: Buffer; rosterJson: string; durableTurn: number; epoch: number; startedAt: number;
}

const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

export function frameToMsg(f: TurnFrame, withRoster: boolean): FrameMsg {
  return {
    battleId: f.battleId, turn: f.turn, hash: f.hash, dilation: f.dilation, width: f.width, height: f.height, turnsPerSecond: f.turnsPerSecond, count: f.count,
    id: bytesOf(f.id), type: bytesOf(f.type), team: bytesOf(f.team), owner: bytesOf(f.owner), squad: bytesOf(f.squad), x: bytesOf(f.x), y: bytesOf(f.y),
    hull: bytesOf(f.hull), shield: bytesOf(f.shield), target: bytesOf(f.target), deploying: bytesOf(f.deploying),
    teamCount: f.teamCount, relations: bytesOf(f.relations), lost: bytesOf(f.lost),
    resultsJson: JSON.stringify(f.results), eventsJson: JSON.stringify(f.events), kernelEvents: bytesOf(f.kernelEvents),
    rosterJson: withRoster && f.roster ? JSON.stringify(f.roster) : '',
    durableTurn: f.durableTurn,
    epoch: f.epoch,
    startedAt: f.startedAt,
  };
}

// copies into a fresh, aligned buffer (a Buffer slice may sit at an odd offset of a shared pool)
function col<T>(b: Buffer, Ctor: { new (buf: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, n: number, what: string): T {
  if (b.byteLength !== n * Ctor.BYTES_PER_ELEMENT) throw new Error(`frame column ${what}: ${b.byteLength} bytes for ${n} units`);
  const buf = new ArrayBuffer(b.byteLength);
  new Uint8Array(buf).set(b);
  return new Ctor(buf);
}

/** Decodes a Frame; `roster` is the last roster seen on this stream (frames carry it only when it changed). */
export function msgToFrame(m: FrameMsg, roster: TurnFrame['roster']): TurnFrame {
  const n = m.count, T = m.teamCount;
  return {
    battleId: m.battleId, turn: m.turn, hash: m.hash, dilation: m.dilation, durableTurn: m.durableTurn, epoch: m.epoch, startedAt: m.startedAt, width: m.width, height: m.height, turnsPerSecond: m.turnsPerSecond, count: n,
    id: col(m.id, Int32Array, n, 'id'), type: col(m.type, Uint8Array, n, 'type'), team: col(m.team, Uint8Array, n, 'team'), owner: col(m.owner, Int32Array, n, 'owner'),
    squad: col(m.squad, Int32Array, n, 'squad'), x: col(m.x, Float64Array, n, 'x'), y: col(m.y, Float64Array, n, 'y'), hull: col(m.hull, Int32Array, n, 'hull'),
    shield: col(m.shield, Int32Array, n, 'shield'), target: col(m.target, Int32Array, n, 'target'), deploying: col(m.deploying, Uint8Array, n, 'deploying'),
    teamCount: T, relations: col(m.relations, Uint8Array, T * T, 'relations'), lost: col(m.lost, Int32Array, T, 'lost'),
    results: JSON.parse(m.resultsJson || '[]'), events: JSON.parse(m.eventsJson || '[]'),
    kernelEvents: col(m.kernelEvents, Int32Array, m.kernelEvents.byteLength / 4, 'kernelEvents'),
    roster: m.rosterJson ? JSON.parse(m.rosterJson) : roster,
  };
}
