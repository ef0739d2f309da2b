// Builds the per-client messages of one turn from shared parts. Per client the work is choosing
// cells and concatenating pre-encoded cell bytes: no per-unit work, no per-client encoding of units.

import { ByteBuilder } from './wire.js';
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

const spec: ViewerSpec = { view: 0, playerIndex: -1, squadrons: [], focusX: NaN, focusY: NaN, radius: 0 };

/** The client's viewer spec, in a reused object: read it before asking for the next client's. */
export function viewerSpec(s: Session, squadrons: readonly number[], radius: number): ViewerSpec {
  spec.view = s.spectator ? GOD_VIEW : s.team;
  spec.playerIndex = s.spectator ? -1 : s.playerIndex;
  spec.squadrons = squadrons;
  spec.focusX = s.focusX;
  spec.focusY = s.focusY;
  spec.radius = radius;
  return spec;
}

/** A snapshot (every wanted cell in full) or a delta from the session's known cells. */
const body = new ByteBuilder(256 * 1024);
const msg = new ByteBuilder(16);
const scratch = new ByteBuilder(4096);

/**
 * Riding the update (encoded fields): the session's `along` (older events, results), then this turn's `team` and
 * `mine` events and the `dilation` when it changed.
 */
export function buildUpdate(tv: TurnView, s: Session, spec: ViewerSpec, snapshot: boolean, withAggregate: boolean, now: number, dilation: Uint8Array | null = null, team: Uint8Array | null = null, mine: Uint8Array | null = null): Update {
  wantedCells(tv, spec, wanted);
  const f = tv.frame;
  const n = wanted.count;
  const known = s.spareKnown(n);
  const w = body.reset(HEAD_ROOM);
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
    appendAlong(w, s.along, team, mine, dilation);
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
  appendAlong(w, s.along, team, mine, dilation);
  return { bytes: wrap(3, w), known, snapshot: false }; // ServerMessage.delta
}

// fields 8-10 of Snapshot and Delta alike, each already encoded whole
function appendAlong(w: ByteBuilder, along: readonly Uint8Array[], team: Uint8Array | null, mine: Uint8Array | null, dilation: Uint8Array | null): void {
  for (let i = 0; i < along.length; i++) w.raw(along[i]);
  if (team) w.raw(team);
  if (mine) w.raw(mine);
  if (dilation) w.raw(dilation);
}

/**
 * The ServerMessage around the body: its tag and length go into the room kept before the body (HEAD_ROOM), so the
 * message is a view of the body's buffer — no copy. The socket copies it before the next update is built.
 */
function wrap(field: number, inner: ByteBuilder): Uint8Array {
  const len = inner.pos - HEAD_ROOM;
  const head = msg.reset().tag(field, 2).varint(len);
  const start = HEAD_ROOM - head.pos;
  const buf = inner.buf;
  for (let k = 0; k < head.pos; k++) buf[start + k] = head.buf[k];
  return viewOf(buf, start, inner.pos - start);
}

/** Bytes kept free before each body for the ServerMessage's tag (1 byte) and length (≤ 5). */
const HEAD_ROOM = 6;
const MAX_CACHED_VIEW = 64 * 1024;
// views of the body buffer by start and length, made once: a fresh view per client per turn is an object for the
// collector each time
let viewsOf: Uint8Array | null = null;
const views: (Uint8Array | undefined)[][] = [];
function viewOf(buf: Uint8Array, start: number, length: number): Uint8Array {
  if (length > MAX_CACHED_VIEW) return buf.subarray(start, start + length);
  if (viewsOf !== buf) { viewsOf = buf; views.length = 0; } // the builder grew: views of the old buffer are stale
  const byLength = (views[start] ??= new Array<Uint8Array | undefined>(MAX_CACHED_VIEW + 1).fill(undefined));
  return (byLength[length] ??= buf.subarray(start, start + length));
}
