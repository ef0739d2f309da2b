// sfc32: a small, fast, seedable PRNG with 128 bits of state kept in a Uint32Array so the state
// can be hashed, snapshotted and migrated with the rest of the battle. Same seed ⇒ same stream everywhere.

export function seedRng(state: Uint32Array, seed: number): void {
  // splitmix32 expands one 32-bit seed into four well-mixed words
  let s = seed >>> 0;
  for (let i = 0; i < 4; i++) {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    state[i] = (z ^ (z >>> 16)) >>> 0;
  }
  for (let i = 0; i < 12; i++) nextU32(state);
}

export function nextU32(s: Uint32Array): number {
  const a = s[0], b = s[1], c = s[2], d = s[3];
  const t = (((a + b) | 0) + d) | 0;
  s[3] = (d + 1) | 0;
  s[0] = b ^ (b >>> 9);
  s[1] = (c + (c << 3)) | 0;
  s[2] = ((c << 21) | (c >>> 11)) + t;
  return t >>> 0;
}

/** Uniform in [0, 1). */
export function nextFloat(s: Uint32Array): number {
  return nextU32(s) / 4294967296;
}
