import { describe, expect, it } from 'vitest';
import { buildFrame } from '../actors/sector/frame.js';
import { EventKind } from '../actors/unit/enums.js';
import { slotOf } from '../actors/unit/world.js';
import { ServerMessage } from '../gateway/codec.js';
import { alone } from '../gateway/along.js';
import { teamEvents } from '../gateway/events.js';
import { TurnView } from '../gateway/interest/turn-view.js';
import { newBattle, unitsOf } from './helpers.js';

function destroyedFor(team: number, killerNear: boolean) {
  const b = newBattle();
  const w = b.world;
  const victim = unitsOf(b, 'a-pil')[0];
  const killer = unitsOf(b, 'b-sc')[0];
  const vs = slotOf(w, victim), ks = slotOf(w, killer);
  w.x[ks] = killerNear ? w.x[vs] + 50 : w.width - 5; // far: outside every Alpha sensor
  w.y[ks] = killerNear ? w.y[vs] : w.height - 5;
  const players = b.roster.players.length, squads = b.roster.squadrons.length;
  const before = buildFrame(b, [], [], new Int32Array(0), 'h1', 1, true);
  const after = buildFrame(b, [], [], Int32Array.from([EventKind.DESTROYED, victim, killer, 0]), 'h2', 1, true);
  const prev = new TurnView(before, null, players, squads);
  const tv = new TurnView(after, prev, players, squads);
  const blob = teamEvents(after, tv, prev, team);
  if (!blob) return null;
  const msg = ServerMessage.toObject(ServerMessage.decode(alone(blob)), { defaults: true }) as { events: { events: { type: string; unit: number; other: number }[] } };
  return { victim, killer, events: msg.events.events };
}

describe('team events and the fog of war', () => {
  it('a destroyed unit names its killer only when the team can see the killer', () => {
    const hidden = destroyedFor(0, false)!;
    expect(hidden.events).toEqual([expect.objectContaining({ type: 'destroyed', unit: hidden.victim, other: 0 })]);
    const seen = destroyedFor(0, true)!;
    expect(seen.events).toEqual([expect.objectContaining({ type: 'destroyed', unit: seen.victim, other: seen.killer })]);
    // the killer's own team sees its kill with the shooter named
    const own = destroyedFor(1, false)!;
    expect(own.events).toEqual([expect.objectContaining({ type: 'destroyed', other: own.killer })]);
  });
});
