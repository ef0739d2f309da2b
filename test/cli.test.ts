import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['deploy/cli/sectorwars.mjs', ...args], { encoding: 'utf8' });
}

describe('sectorwars CLI', () => {
  it('simulate --json prints winner, turns, final hash, turn times and losses', () => {
    const r = cli('simulate', '--teams', '4', '--units', '400', '--turns', '60', '--seed', '7', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.turns).toBe(60);
    expect(['Alpha', 'Beta', 'Gamma', 'Delta']).toContain(out.winner);
    expect(out.finalStateHash).toMatch(/^[0-9a-f]{16}$/);
    expect(out.turnMs.p50).toBeGreaterThan(0);
    expect(out.turnMs.p99).toBeGreaterThanOrEqual(out.turnMs.p50);
    expect(Object.keys(out.losses)).toEqual(['Alpha', 'Beta', 'Gamma', 'Delta']);
    // the same seed gives the same battle, another seed another
    expect(JSON.parse(cli('simulate', '--teams', '4', '--units', '400', '--turns', '60', '--seed', '7', '--json').stdout).finalStateHash).toBe(out.finalStateHash);
    expect(JSON.parse(cli('simulate', '--teams', '4', '--units', '400', '--turns', '60', '--seed', '8', '--json').stdout).finalStateHash).not.toBe(out.finalStateHash);
  });

  it('prints a readable table without --json', () => {
    const r = cli('simulate', '--teams', '2', '--units', '100', '--turns', '30', '--seed', '1');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/winner: (Alpha|Beta)/);
    expect(r.stdout).toMatch(/turn time: p50 [\d.]+ ms, p99 [\d.]+ ms/);
    expect(r.stdout).toMatch(/final state hash: [0-9a-f]{16}/);
  });

  it('rejects bad arguments with a usage message and exit code 2', () => {
    for (const args of [['simulate', '--teams', '9'], ['simulate', '--units', 'many'], ['simulate', '--bogus'], ['frobnicate']]) {
      const r = cli(...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/usage: sectorwars simulate/);
    }
  });
});
