// The wire codec: protobufjs loads proto/sectorwars/v1/game.proto (the source of truth) at start.
// Hot server messages are assembled from pre-encoded parts with protobufjs' Writer, so one cell's
// bytes are encoded once per turn and shared by every client that sees that cell.

import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const PROTO = fileURLToPath(new URL('../proto/sectorwars/v1/game.proto', import.meta.url));
export const root = protobuf.loadSync(PROTO);
export const ClientMessage = root.lookupType('sectorwars.v1.ClientMessage');
export const ServerMessage = root.lookupType('sectorwars.v1.ServerMessage');
export const CellDeltaType = root.lookupType('sectorwars.v1.CellDelta');
export const AggregateType = root.lookupType('sectorwars.v1.Aggregate');
export const EventsType = root.lookupType('sectorwars.v1.Events');
export const CommandResultType = root.lookupType('sectorwars.v1.CommandResult');
export const TimeDilationType = root.lookupType('sectorwars.v1.TimeDilation');
export const Writer = protobuf.Writer;
export type Writer = protobuf.Writer;

/** Decoded ClientMessage (protobufjs plain object, defaults applied). */
export interface ClientMsg {
  seq: number;
  body?: string;
  hello?: { token: string };
  join?: { battleId: string; spectator: boolean; mode: number; followPlayer: string; followUnit: number; fleet: { unitType: string; count: number }[]; captain: string; admiral: string };
  command?: Record<string, unknown> & { id: string; turn: number; order?: string };
  ack?: { turn: number };
  ping?: { nonce: number; clientTimeMs: number };
  resume?: { sessionId: string; token: string; lastAckedTurn: number };
  view?: { x: number; y: number };
  comm?: { text: string };
}

export function decodeClient(bytes: Uint8Array): ClientMsg {
  const m = ClientMessage.decode(bytes);
  return ClientMessage.toObject(m, { defaults: true, oneofs: true, longs: Number, enums: Number, arrays: true }) as ClientMsg;
}

export function encodeServer(body: Record<string, unknown>): Uint8Array {
  return ServerMessage.encode(ServerMessage.fromObject(body)).finish();
}

export function decodeServer(bytes: Uint8Array): Record<string, unknown> & { body?: string } {
  return ServerMessage.toObject(ServerMessage.decode(bytes), { defaults: true, oneofs: true, longs: Number, enums: Number, arrays: true }) as Record<string, unknown> & { body?: string };
}

/** Fields of both Snapshot and Delta that carry what happened since the client's previous update. */
export const enum Along {
  EVENTS = 8,
  RESULTS = 9,
  DILATION = 10,
}

export const enum Tag {
  // ServerMessage fields (length-delimited)
  SNAPSHOT = (2 << 3) | 2,
  DELTA = (3 << 3) | 2,
  EVENTS = (5 << 3) | 2,
  SUMMARY = (9 << 3) | 2,
}
