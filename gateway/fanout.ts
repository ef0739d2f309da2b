// Builds the per-client messages of one turn from shared parts. Per client the work is choosing
// cells and concatenating pre-encoded cell bytes: no per-unit work, no per-client encoding of units.

import { Tag, Writer } from './codec.js';
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
export function buildUpdate(tv: TurnView, s: Session, spec: ViewerSpec, snapshot: boolean, withAggregate: boolean, now: number): Update {
  wantedCells(tv, spec, wanted);
  const known = new Map<number, CellVersion>();
  const w = Writer.create();
  const f = tv.frame;
  if (snapshot) {
    w.uint32(Tag.SNAPSHOT).fork();
    w.uint32((1 << 3) | 0).uint32(f.turn);
    for (const [cell, lod] of wanted) {
      const v = tv.version(spec.view, cell, lod);
      known.set(cell, v);
      w.uint32((2 << 3) | 2).bytes(v.fullBlob());
    }
    w.uint32((3 << 3) | 2).bytes(tv.aggregate(spec.view));
    w.uint32((4 << 3) | 1).double(now);
    w.uint32((5 << 3) | 2).string(f.hash);
    w.ldelim();
    return { bytes: w.finish(), known, snapshot: true };
  }
  w.uint32(Tag.DELTA).fork();
  w.uint32((1 << 3) | 0).uint32(s.lastSentTurn);
  w.uint32((2 << 3) | 0).uint32(f.turn);
  for (const [cell, lod] of wanted) {
    const v = tv.version(spec.view, cell, lod);
    known.set(cell, v);
    const prev = s.known.get(cell);
    if (prev === v) continue;
    const blob = prev && prev.lod === lod ? v.diffFrom(prev) : v.fullBlob();
    if (blob) w.uint32((3 << 3) | 2).bytes(blob);
  }
  let dropped = false;
  for (const cell of s.known.keys()) {
    if (wanted.has(cell)) continue;
    if (!dropped) { w.uint32((4 << 3) | 2).fork(); dropped = true; }
    w.uint32(cell);
  }
  if (dropped) w.ldelim();
  if (withAggregate) w.uint32((5 << 3) | 2).bytes(tv.aggregate(spec.view));
  w.uint32((6 << 3) | 1).double(now);
  w.uint32((7 << 3) | 2).string(f.hash);
  w.ldelim();
  return { bytes: w.finish(), known, snapshot: false };
}
