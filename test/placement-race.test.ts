import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REDIS_URL, redisPlacement, testPrefix } from './redis.js';

const run = promisify(execFile);

describe('single activation under races (real Redis, separate node processes)', () => {
  it('three nodes claiming the same sector at the same instant: exactly one wins, every round', async () => {
    const prefix = testPrefix();
    const rounds = 150;
    const startAt = Date.now() + 2500; // time for the processes to start and connect
    const results = await Promise.all(['A', 'B', 'C'].map((id) =>
      run(process.execPath, ['--import', 'tsx', 'test/fixtures/race-claims.ts', REDIS_URL, prefix, id, String(rounds), String(startAt), '8'])
        .then(({ stdout }) => JSON.parse(stdout) as { node: string; won: { round: number; token: number }[] })));
    const winners = new Map<number, string[]>();
    for (const r of results) for (const w of r.won) {
      winners.set(w.round, [...(winners.get(w.round) ?? []), r.node]);
      expect(w.token).toBe(1); // the first and only claim of that sector
    }
    for (let r = 0; r < rounds; r++) expect(winners.get(r)?.length, `round ${r}`).toBe(1);
    // the race was real: more than one node won some rounds
    expect(results.filter((r) => r.won.length > 0).length).toBeGreaterThan(1);
    const p = await redisPlacement(prefix);
    await p.clear();
    await p.close();
  }, 60_000);
});
