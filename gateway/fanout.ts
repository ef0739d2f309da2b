// Builds the per-client messages of one turn from shared parts. Per client the work is choosing
// cells and concatenating pre-encoded cell bytes: no per-unit work, no per-client encoding of units.

import { ByteBuilder } from './wire.js';
import type { CellVersion } from './interest/cells.js';
import { GOD_VIEW, type TurnView } from './interest/turn-view.js';
import { wantedCells, type ViewerSpec } from './interest/view.js';
import type { Session } from './session.js';

const wanted = new Map<number, number>(); // scratch, reused for every client

export interface Update {
  bytes: Uint8Array;
  known: Map<number, CellVersion>;
  snapshot: boolean;
}

export function viewerSpec(s: Session, tv: TurnView, squadrons: readonly number[], radius: number): ViewerSpec {
  return { view: s.spectator ? GOD_VIEW : s.team, playerIndex: s.spectator ? -1 : s.playerIndex, squadrons, focusX: s.focusX, focusY: s.focusY, radius };
}

/** A snapshot (every wanted cell in full) or a delta from the session's known cells. */
const body = new ByteBuilder(256 * 1024);
const msg = new ByteBuilder(256 * 1024);
const scratch = new ByteBuilder(4096);

export function buildUpdate(tv: TurnView, s: Session, spec: ViewerSpec, snapshot: boolean, withAggregate: boolean, now: number): Update {
  wantedCells(tv, spec, wanted);
  const known = new Map<number, CellVersion>();
  const f = tv.frame;
  const w = body.reset();
  if (snapshot) {
    w.uint(1, f.turn);
    for (const [cell, lod] of wanted) {
      const v = tv.version(spec.view, cell, lod);
      known.set(cell, v);
      w.bytes(2, v.fullBlob());
    }
    w.bytes(3, tv.aggregate(spec.view));
    w.double(4, now);
    w.string(5, f.hash);
    return { bytes: msg.reset().nested(2, w).finish(), known, snapshot: true }; // ServerMessage.snapshot
  }
  w.uint(1, s.lastSentTurn);
  w.uint(2, f.turn);
  for (const [cell, lod] of wanted) {
    const v = tv.version(spec.view, cell, lod);
    known.set(cell, v);
    const prev = s.known.get(cell);
    if (prev === v) continue;
    const blob = prev && prev.lod === lod ? v.diffFrom(prev) : v.fullBlob();
    if (blob) w.bytes(3, blob);
  }
  const dropped = scratch.reset();
  for (const cell of s.known.keys()) if (!wanted.has(cell)) dropped.varint(cell);
  if (dropped.pos > 0) w.nested(4, dropped);
  if (withAggregate) w.bytes(5, tv.aggregate(spec.view));
  w.double(6, now);
  w.string(7, f.hash);
  return { bytes: msg.reset().nested(3, w).finish(), known, snapshot: false }; // ServerMessage.delta
}
