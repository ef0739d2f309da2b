// Free spectators: every 5 s a summary of the battle as it stood 15 s earlier (no ghosting for the
// teams), in one of three view modes: the whole sector, following a commander, following a unit.

import { Tag, Writer } from './codec.js';
import type { TurnFrame } from '../actors/sector/frame.js';
import { classifyBattle } from '../actors/model/scale.js';
import { GOD_VIEW, TurnView } from './interest/turn-view.js';
import { createWanted, wantedCells } from './interest/view.js';
import type { Session } from './session.js';

const FOLLOW_COMMANDER = 1, FOLLOW_UNIT = 2;

export function buildSummary(old: TurnFrame, sessions: Iterable<Session>, send: (s: Session, bytes: Uint8Array) => void): void {
  const roster = old.roster!;
  const tv = new TurnView(old, null, roster.players.length, roster.squadrons.length);
  const perTeam = new Array<number>(old.teamCount).fill(0);
  for (let i = 0; i < old.count; i++) perTeam[old.team[i]]++;
  const head = (w: Writer) => {
    w.uint32((1 << 3) | 0).uint32(old.turn);
    w.uint32((2 << 3) | 2).fork(); for (const n of perTeam) w.uint32(n); w.ldelim();
    w.uint32((3 << 3) | 2).fork(); for (const n of old.lost) w.uint32(n); w.ldelim();
    w.uint32((4 << 3) | 2).bytes(tv.aggregate(GOD_VIEW));
  };
  const scale = classifyBattle(roster.players.filter((p) => p.status !== 'retreated').length, old.count);
  let whole: Uint8Array | null = null;
  const cells = createWanted();
  for (const s of sessions) {
    if (!s.spectator || !s.joined || !s.conn) continue;
    let focusX = NaN, focusY = NaN, player = -1;
    if (s.spectatorMode === FOLLOW_COMMANDER) player = roster.players.findIndex((p) => p.id === s.followPlayer);
    if (s.spectatorMode === FOLLOW_UNIT) {
      const i = old.id.indexOf(s.followUnit);
      if (i >= 0) { focusX = old.x[i]; focusY = old.y[i]; }
    }
    if (player < 0 && !Number.isFinite(focusX)) {
      if (!whole) {
        const w = Writer.create();
        w.uint32(Tag.SUMMARY).fork(); head(w); w.uint32((6 << 3) | 2).string(scale); w.ldelim();
        whole = w.finish();
      }
      send(s, whole);
      continue;
    }
    wantedCells(tv, { view: GOD_VIEW, playerIndex: player, squadrons: [], focusX, focusY, radius: 1 }, cells);
    const w = Writer.create();
    w.uint32(Tag.SUMMARY).fork();
    head(w);
    for (let i = 0; i < cells.count; i++) w.uint32((5 << 3) | 2).bytes(tv.version(GOD_VIEW, cells.cells[i], 0).fullBlob());
    w.uint32((6 << 3) | 2).string(scale);
    w.ldelim();
    send(s, w.finish());
  }
}
