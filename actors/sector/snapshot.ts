// A battle's whole state as bytes (every typed-array column, the roster, the config) and back: live
// migration moves these bytes between nodes and persistence stores them. The kernel's scratch (grid,
// event buffer, masks) is rebuilt, not stored: it is recomputed at the start of every turn.

import { compileCatalog } from '../unit/catalog.js';
import { createKernel } from '../unit/step.js';
import { UNIT_FIELDS, type TeamStats, type World } from '../unit/world.js';
import { newHasher, type Battle, type BattleConfig } from './battle.js';
import type { Roster } from '../model/roster.js';

const MAGIC = 0x53574231; // "SWB1"

type Typed = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;
const CTORS: Record<string, new (b: ArrayBuffer) => Typed> = { Int32Array, Uint32Array, Uint16Array, Uint8Array, Float64Array };

interface Header {
  config: BattleConfig;
  roster: Roster;
  world: { capacity: number; highWater: number; liveCount: number; freeTop: number; width: number; height: number; turn: number; teamCount: number };
  arrays: { name: string; type: string; bytes: number }[];
}

function columns(w: World): [string, Typed][] {
  const out: [string, Typed][] = UNIT_FIELDS.map((f) => [f, w[f] as Typed]);
  out.push(['free', w.free], ['rng', w.rng], ['relations', w.relations]);
  for (const k of Object.keys(w.stats) as (keyof TeamStats)[]) out.push([`stats.${k}`, w.stats[k]]);
  return out;
}

export function serializeBattle(b: Battle): Uint8Array {
  const w = b.world;
  const cols = columns(w);
  const header: Header = {
    config: b.config,
    roster: b.roster,
    world: { capacity: w.capacity, highWater: w.highWater, liveCount: w.liveCount, freeTop: w.freeTop, width: w.width, height: w.height, turn: w.turn, teamCount: w.teamCount },
    arrays: cols.map(([name, a]) => ({ name, type: a.constructor.name, bytes: a.byteLength })),
  };
  const head = new TextEncoder().encode(JSON.stringify(header));
  const pad = (n: number) => (n + 7) & ~7; // keep every column 8-byte aligned
  let size = 8 + pad(head.length);
  for (const [, a] of cols) size += pad(a.byteLength);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, head.length, true);
  out.set(head, 8);
  let o = 8 + pad(head.length);
  for (const [, a] of cols) { out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), o); o += pad(a.byteLength); }
  return out;
}

export function deserializeBattle(bytes: Uint8Array): Battle {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || dv.getUint32(0, true) !== MAGIC) throw new Error('not a serialized battle');
  const len = dv.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len))) as Header;
  const pad = (n: number) => (n + 7) & ~7;
  let o = 8 + pad(len);
  const arrays = new Map<string, Typed>();
  for (const a of header.arrays) {
    const Ctor = CTORS[a.type];
    if (!Ctor || o + a.bytes > bytes.byteLength) throw new Error(`corrupt battle state (column ${a.name})`);
    const buf = new ArrayBuffer(a.bytes);
    new Uint8Array(buf).set(bytes.subarray(o, o + a.bytes));
    arrays.set(a.name, new Ctor(buf));
    o += pad(a.bytes);
  }
  const h = header.world;
  const get = <T extends Typed>(name: string) => arrays.get(name) as T;
  const world = {
    ...h,
    catalog: compileCatalog(header.config.turnsPerSecond),
    free: get<Int32Array>('free'), rng: get<Uint32Array>('rng'), relations: get<Uint8Array>('relations'),
    stats: { lost: get<Int32Array>('stats.lost'), lostValue: get<Float64Array>('stats.lostValue'), killedValue: get<Float64Array>('stats.killedValue'), retreated: get<Int32Array>('stats.retreated'), crewSaved: get<Int32Array>('stats.crewSaved') },
  } as unknown as World;
  for (const f of UNIT_FIELDS) (world as unknown as Record<string, Typed>)[f] = get(f);
  return { config: header.config, world, kernel: createKernel(world, header.config.cellSize), roster: header.roster, events: [], hasher: newHasher() };
}
