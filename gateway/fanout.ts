// Builds the per-client messages of one turn from shared parts. Per client the work is choosing
// cells and concatenating pre-encoded cell bytes: no per-unit work, no per-client encoding of units.

import { ByteBuilder } from './wire.js';
import type { CellVersion } from './interest/cells.js';
import { GOD_VIEW, type TurnView } from './interest/turn-view.js';
import { createWanted, isWanted, wantedCells, type ViewerSpec } from './interest/view.js';
import type { Known, Session } from './session.js';

const wanted = createWanted(); // scratch, reused for every client

export interface Update {
  bytes: Uint8Array; // a view of a reused buffer: send it before building the next update
  known: Known;
  snapshot: boolean;
}

// where each cell of the previous known state sits, stamped per call (no Map per client per turn)
let prevMark = new Int32Array(0);
let prevPos = new Int32Array(0);
let prevGen = 0;

export function viewerSpec(s: Session, tv: TurnView, squadrons: readonly number[], radius: number): ViewerSpec {
  return { view: s.spectator ? GOD_VIEW : s.team, playerIndex: s.spectator ? -1 : s.playerIndex, squadrons, focusX: s.focusX, focusY: s.focusY, radius };
}

/** A snapshot (every wanted cell in full) or a delta from the session's known cells. */
const body = new ByteBuilder(256 * 1024);
const msg = new ByteBuilder(16);
const scratch = new ByteBuilder(4096);

/** `along`: encoded fields (events, results) that ride this update; `dilation` likewise when it changed. */
export function buildUpdate(tv: TurnView, s: Session, spec: ViewerSpec, snapshot: boolean, withAggregate: boolean, now: number, along: readonly Uint8Array[] = [], dilation: Uint8Array | null = null): Update {
  wantedCells(tv, spec, wanted);
  const f = tv.frame;
  const n = wanted.count;
  const known: Known = { versions: new Array<CellVersion>(n) };
  const w = body.reset();
  if (snapshot) {
    w.uint(1, f.turn);
    for (let i = 0; i < n; i++) {
      const v = tv.version(spec.view, wanted.cells[i], wanted.lods[i]);
      known.versions[i] = v;
      w.bytes(2, v.fullBlob());
    }
    w.bytes(3, tv.aggregate(spec.view));
    w.double(4, now);
    w.string(5, f.hash);
    appendAlong(w, along, dilation);
    return { bytes: wrap(2, w), known, snapshot: true }; // ServerMessage.snapshot
  }
  const prev = s.known;
  const total = tv.cols * tv.rows;
  if (prevMark.length < total) { prevMark = new Int32Array(total); prevPos = new Int32Array(total); prevGen = 0; }
  if (++prevGen === 0x7fffffff) { prevMark.fill(0); prevGen = 1; }
  const held = prev.versions;
  for (let i = 0; i < held.length; i++) {
    const c = held[i].cell;
    if (c < total) { prevMark[c] = prevGen; prevPos[c] = i; }
  }
  w.uint(1, s.lastSentTurn);
  w.uint(2, f.turn);
  for (let i = 0; i < n; i++) {
    const cell = wanted.cells[i], lod = wanted.lods[i];
    const v = tv.version(spec.view, cell, lod);
    known.versions[i] = v;
    const had = prevMark[cell] === prevGen ? held[prevPos[cell]] : undefined;
    if (had === v) continue;
    const blob = had && had.lod === lod ? v.diffFrom(had) : v.fullBlob();
    if (blob) w.bytes(3, blob);
  }
  const dropped = scratch.reset();
  for (let i = 0; i < held.length; i++) if (!isWanted(wanted, held[i].cell)) dropped.varint(held[i].cell);
  if (dropped.pos > 0) w.nested(4, dropped);
  if (withAggregate) w.bytes(5, tv.aggregate(spec.view));
  w.double(6, now);
  w.string(7, f.hash);
  appendAlong(w, along, dilation);
  return { bytes: wrap(3, w), known, snapshot: false }; // ServerMessage.delta
}

// fields 8-10 of Snapshot and Delta alike, each already encoded whole
function appendAlong(w: ByteBuilder, along: readonly Uint8Array[], dilation: Uint8Array | null): void {
  for (let i = 0; i < along.length; i++) w.raw(along[i]);
  if (dilation) w.raw(dilation);
}

/** ServerMessage with `inner` as its length-delimited field, in a reused buffer (the socket copies it). */
function wrap(field: number, inner: ByteBuilder): Uint8Array {
  const m = msg.reset().tag(field, 2).varint(inner.pos);
  const headLen = m.pos;
  const need = headLen + inner.pos;
  if (out.length < need) out = new Uint8Array(Math.max(need, out.length * 2));
  for (let k = 0; k < headLen; k++) out[k] = m.buf[k];
  out.set(inner.buf.subarray(0, inner.pos), headLen);
  return out.subarray(0, need);
}
let out = new Uint8Array(256 * 1024);
