// gRPC clients of the SectorNode service.

import * as grpc from '@grpc/grpc-js';
import { SectorNodeService } from './node-proto.js';

export type NodeClient = grpc.Client & Record<string, (...args: never[]) => unknown> & {
  submit(req: object, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: { queued: boolean; turn: number; resultJson: string; notHere: boolean }) => void): void;
  subscribe(req: object): grpc.ClientReadableStream<unknown>;
  status(req: object, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: unknown) => void): void;
  acceptSector(req: object, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: { ok: boolean; token: number; error: string }) => void): void;
  migrateSector(req: object, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: { ok: boolean; turn: number; pauseMs: number; error: string }) => void): void;
  commandLog(req: object, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: { entriesJson: string }) => void): void;
  attachOverflow(req: object, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: { ok: boolean; error: string; turn: number }) => void): void;
  overflowTurn(req: object, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: unknown) => void): void;
  detachOverflow(req: object, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: { ok: boolean; error: string; standingJson: string }) => void): void;
  rollback(req: object, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: { ok: boolean; turn: number; hash: string; error: string }) => void): void;
};

/** One unary call of the SectorNode service as a promise; past `deadlineMs` it fails with DEADLINE_EXCEEDED. */
export function unaryCall<T>(client: NodeClient, method: string, req: object, deadlineMs: number): Promise<T> {
  const fn = client[method] as (r: object, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, v: T) => void) => void;
  return new Promise((resolve, reject) => fn.call(client, req, { deadline: Date.now() + deadlineMs }, (e, v) => (e ? reject(e) : resolve(v))));
}

export function nodeClient(address: string): NodeClient {
  return new SectorNodeService(address, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': 64 * 1024 * 1024, 'grpc.max_send_message_length': 64 * 1024 * 1024 }) as unknown as NodeClient;
}
