// What rides a client's next update (Snapshot or Delta fields 8-10): the events, order results and
// time-dilation changes since its previous one, each encoded once as a whole field and appended as
// is. One message per client per update: a gold client gets one write per turn, a bronze client one
// every 3 s, however much happened between.

import { Along, CommandResultType, EventsType, TimeDilationType } from './codec.js';
import { taggedField } from './wire.js';

export interface GameEvent { type: string; unit?: number; other?: number; player?: string; from?: string; text?: string; team?: string }

/** One turn's events as an `events` field. */
export function eventsField(turn: number, events: GameEvent[]): Uint8Array {
  return taggedField(Along.EVENTS, EventsType.encode(EventsType.fromObject({ turn, events })).finish());
}

/** An order's result as a `results` field. */
export function resultField(r: { id: string; accepted: boolean; reason: string; message: string; turn: number }): Uint8Array {
  return taggedField(Along.RESULTS, CommandResultType.encode(CommandResultType.fromObject(r)).finish());
}

/** The time-dilation factor as a `dilation` field (sent when it moved by 0.01 or more since the client's last update). */
export function dilationField(factor: number, turn: number): Uint8Array {
  return taggedField(Along.DILATION, TimeDilationType.encode(TimeDilationType.fromObject({ factor, turn })).finish());
}

// a riding field's tag byte → the ServerMessage tag of the same message sent alone
const ALONE: Record<number, number> = { [(Along.EVENTS << 3) | 2]: (5 << 3) | 2, [(Along.RESULTS << 3) | 2]: (4 << 3) | 2, [(Along.DILATION << 3) | 2]: (6 << 3) | 2 };

/** A riding field as a ServerMessage of its own (same body, the ServerMessage field's tag): for a resume. */
export function alone(field: Uint8Array): Uint8Array {
  const out = field.slice();
  out[0] = ALONE[field[0]];
  return out;
}
