// What both k6 scenarios share: integer settings from the environment, the gateway's address, the
// session tokens (one per VU, loaded once in the init context) and when a client acks.

import { SharedArray } from 'k6/data';

export function envInt(name: string, def: number): number {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer (got ${raw})`);
  return n;
}

export const GATEWAY_URL = (__ENV.GATEWAY_URL || 'ws://127.0.0.1:9001').replace(/\/+$/, '');

/** The tokens of TOKENS_FILE (a JSON array of strings), shared read-only between VUs. Call in the init context. */
export function sessionTokens(kind: 'player' | 'spectator'): string[] {
  if (!__ENV.TOKENS_FILE) throw new Error(`set TOKENS_FILE to a JSON array of ${kind} tokens, one per VU (see load/k6/README.md)`);
  return new SharedArray<string>(`${kind} tokens`, () => {
    const parsed: unknown = JSON.parse(open(__ENV.TOKENS_FILE));
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((t) => typeof t === 'string' && t.length > 0)) {
      throw new Error(`${__ENV.TOKENS_FILE} must hold a non-empty JSON array of token strings`);
    }
    return parsed as string[];
  });
}

