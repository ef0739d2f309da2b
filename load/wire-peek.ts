// Reads just what the load driver needs from a ServerMessage without decoding it: the message kind,
// the turn and the server's send time. Decoding thousands of clients' deltas in full would make the
// load generator, not the server, the bottleneck.

export interface Peek { kind: number; turn: number; serverTimeMs: number; results?: PeekedResult[] }
/** A command result (riding a snapshot or delta in field 9, or alone): whether it was accepted, and the reason if not. */
export interface PeekedResult { accepted: boolean; reason: string }

const utf8 = new TextDecoder();

function readResult(b: Uint8Array, start: number, end: number): PeekedResult {
  const pos = { p: start };
  const r: PeekedResult = { accepted: false, reason: '' };
  while (pos.p < end) {
    const k = varint(b, pos);
    const field = k >>> 3, wire = k & 7;
    if (wire === 0) { const v = varint(b, pos); if (field === 2) r.accepted = v === 1; }
    else if (wire === 2) { const l = varint(b, pos); if (field === 3) r.reason = utf8.decode(b.subarray(pos.p, pos.p + l)); pos.p += l; }
    else if (wire === 1) pos.p += 8;
    else if (wire === 5) pos.p += 4;
    else break;
  }
  return r;
}

function varint(b: Uint8Array, pos: { p: number }): number {
  let x = 0, shift = 0, byte: number;
  do {
    byte = b[pos.p++];
    x += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return x;
}

const view = new DataView(new ArrayBuffer(8));

/** kind: the ServerMessage field number (1 welcome, 2 snapshot, 3 delta, 4 result, 5 events, …). */
export function peek(b: Uint8Array): Peek {
  const pos = { p: 0 };
  const key = varint(b, pos);
  const kind = key >>> 3;
  const len = varint(b, pos);
  const end = pos.p + len;
  const out: Peek = { kind, turn: 0, serverTimeMs: 0 };
  if (kind === 4) { out.results = [readResult(b, pos.p, end)]; return out; } // a CommandResult alone (after a resume)
  // turn and time field numbers inside Snapshot (1, 4), Delta (2, 6), Welcome (7, -), Summary (1, -)
  const turnField = kind === 2 ? 1 : kind === 3 ? 2 : kind === 1 ? 7 : kind === 9 ? 1 : -1;
  const timeField = kind === 2 ? 4 : kind === 3 ? 6 : -1;
  while (pos.p < end) {
    const k = varint(b, pos);
    const field = k >>> 3, wire = k & 7;
    if (wire === 0) {
      const v = varint(b, pos);
      if (field === turnField) out.turn = v;
    } else if (wire === 1) {
      if (field === timeField) {
        for (let i = 0; i < 8; i++) view.setUint8(i, b[pos.p + i]);
        out.serverTimeMs = view.getFloat64(0, true);
      }
      pos.p += 8;
    } else if (wire === 2) {
      const l = varint(b, pos); // read the length before moving: `pos.p += varint(…)` would add to the old position
      if (field === 9 && (kind === 2 || kind === 3)) (out.results ??= []).push(readResult(b, pos.p, pos.p + l));
      pos.p += l;
    } else if (wire === 5) pos.p += 4;
    else break;
  }
  return out;
}
