// Overflow wire forms (node.proto IntakeOrder / IntakeVerdict): orders as JSON, plans as raw
// little-endian columns (a squadron's plan can reach hundreds of units).

import type { Command } from '../../actors/model/commands.js';
import type { Reason } from '../../actors/model/reasons.js';
import type { Plan } from '../../actors/squadron/tactics.js';
import type { IntakeResult } from '../../actors/team/team-actor.js';

export interface IntakeOrderMsg { index: number; team: number; commandJson: string }
export interface IntakeVerdictMsg { index: number; ok: boolean; reason: string; message: string; planned: boolean; ids: Buffer; hasPoints: boolean; x: Buffer; y: Buffer }
export interface FollowTurnMsg { turn: number; commandsJson: string; hash: string }

const EMPTY = Buffer.alloc(0);
const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

// copies into an aligned buffer (a Buffer from the wire may sit at an odd offset of a shared pool)
function column<T>(b: Buffer, Ctor: { new (buf: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): T {
  if (b.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) throw new Error(`plan column of ${b.byteLength} bytes is not whole ${Ctor.BYTES_PER_ELEMENT}-byte values`);
  const buf = new ArrayBuffer(b.byteLength);
  new Uint8Array(buf).set(b);
  return new Ctor(buf);
}

export function encodeResult(r: IntakeResult): IntakeVerdictMsg {
  const v = r.verdict, p = r.plan;
  return {
    index: r.index, ok: v.ok, reason: v.ok ? '' : v.reason, message: v.ok ? '' : v.message,
    planned: p !== null, ids: p ? bytesOf(p.ids) : EMPTY, hasPoints: p !== null && p.x !== null,
    x: p?.x ? bytesOf(p.x) : EMPTY, y: p?.y ? bytesOf(p.y) : EMPTY,
  };
}

export function decodeResult(m: IntakeVerdictMsg): IntakeResult {
  let plan: Plan | null = null;
  if (m.planned) {
    const ids = column(m.ids, Int32Array);
    const x = m.hasPoints ? column(m.x, Float64Array) : null, y = m.hasPoints ? column(m.y, Float64Array) : null;
    if (x && y && (x.length !== ids.length || y.length !== ids.length)) throw new Error(`plan of order ${m.index}: ${ids.length} units but ${x.length}/${y.length} points`);
    plan = { ids, x, y };
  }
  return { index: m.index, verdict: m.ok ? { ok: true } : { ok: false, reason: m.reason as Reason, message: m.message }, plan };
}

/** A turn's orders as the replica receives them (parsed orders of the primary, in log order). */
export function decodeCommands(json: string): Command[] {
  const list: unknown = JSON.parse(json || '[]');
  if (!Array.isArray(list)) throw new Error('commands_json is not a list');
  return list as Command[];
}
