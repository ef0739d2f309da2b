// A reusable protobuf byte builder for the hot fan-out path: varints and blobs straight into one
// growing buffer, no per-field objects (protobufjs' Writer allocates an op per field written).

const f64 = new Float64Array(1);
const f64bytes = new Uint8Array(f64.buffer);
const utf8 = new TextEncoder();

let lastString = '';
let lastStringBytes = new Uint8Array(0);

export class ByteBuilder {
  buf: Uint8Array;
  pos = 0;

  constructor(capacity = 64 * 1024) {
    this.buf = new Uint8Array(capacity);
  }

  /** Empties the builder; `at` > 0 keeps that many bytes free at the start (for a header written last). */
  reset(at = 0): this {
    this.pos = at;
    return this;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  varint(v: number): this {
    this.room(10);
    const b = this.buf;
    let p = this.pos;
    v = v >>> 0 === v ? v : v < 0 ? v >>> 0 : v; // uint32 range for our fields
    while (v > 0x7f) {
      b[p++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    b[p++] = v;
    this.pos = p;
    return this;
  }

  tag(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }

  uint(field: number, v: number): this {
    return this.tag(field, 0).varint(v);
  }

  sint(field: number, v: number): this {
    return this.tag(field, 0).zigzag(v);
  }

  /** A bare zigzag varint (packed sint32 elements). */
  zigzag(v: number): this {
    return this.varint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  double(field: number, v: number): this {
    this.tag(field, 1);
    this.room(8);
    f64[0] = v;
    this.buf.set(f64bytes, this.pos);
    this.pos += 8;
    return this;
  }

  /** A length-delimited field holding `blob`. */
  bytes(field: number, blob: Uint8Array): this {
    this.tag(field, 2).varint(blob.length);
    return this.raw(blob);
  }

  string(field: number, s: string): this {
    // the same string is written into every client's update of a turn (the state hash): encode it once
    if (s !== lastString) { lastString = s; lastStringBytes = utf8.encode(s); }
    return this.bytes(field, lastStringBytes);
  }

  /** Appends bytes already encoded as whole fields (see `taggedField`). */
  raw(blob: Uint8Array): this {
    this.room(blob.length);
    this.buf.set(blob, this.pos);
    this.pos += blob.length;
    return this;
  }

  /** Appends another builder's bytes as a length-delimited field. */
  nested(field: number, inner: ByteBuilder): this {
    this.tag(field, 2).varint(inner.pos);
    this.room(inner.pos);
    const n = inner.pos, src = inner.buf, dst = this.buf, at = this.pos;
    // most nested messages are one unit (~20 bytes): a loop beats allocating a subarray to copy from
    if (n <= 64) for (let k = 0; k < n; k++) dst[at + k] = src[k];
    else dst.set(src.subarray(0, n), at);
    this.pos += n;
    return this;
  }

  /** A copy of the bytes written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** `inner` as one encoded length-delimited field, ready to append to any message that has that field. */
export function taggedField(field: number, inner: Uint8Array): Uint8Array {
  const head = new ByteBuilder(16).tag(field, 2).varint(inner.length);
  const out = new Uint8Array(head.pos + inner.length);
  out.set(head.buf.subarray(0, head.pos));
  out.set(inner, head.pos);
  return out;
}
