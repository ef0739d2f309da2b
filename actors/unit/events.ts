// A turn's kernel events as flat int32 records (kind, a, b, c): no object per event on the hot path.

export interface EventBuffer {
  data: Int32Array;
  count: number;
}

export function createEventBuffer(initial = 1024): EventBuffer {
  return { data: new Int32Array(initial * 4), count: 0 };
}

export function pushEvent(e: EventBuffer, kind: number, a: number, b: number, c: number): void {
  let o = e.count * 4;
  if (o + 4 > e.data.length) {
    const next = new Int32Array(e.data.length * 2);
    next.set(e.data);
    e.data = next;
  }
  e.data[o++] = kind;
  e.data[o++] = a;
  e.data[o++] = b;
  e.data[o] = c;
  e.count++;
}

export function clearEvents(e: EventBuffer): void {
  e.count = 0;
}
