import { spawnSync } from 'node:child_process';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEV_TOKEN_SECRET, TokenService } from '../gateway/auth/tokens.js';

const PROD_SECRET = 'an-operator-secret-of-at-least-32-bytes!!';

function cli(args: string[], secret?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.SECTORWARS_TOKEN_SECRET;
  if (secret !== undefined) env.SECTORWARS_TOKEN_SECRET = secret;
  return spawnSync(process.execPath, ['deploy/cli/sectorwars.mjs', 'token', ...args], { encoding: 'utf8', env });
}

describe('sectorwars token', () => {
  it('prints a player token signed with the development secret, warning on stderr', async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = cli(['--player', 'p-42', '--team', 'Alpha', '--role', 'captain', '--tier', 'gold', '--credits', '2500', '--battle', 'b-7']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: SECTORWARS_TOKEN_SECRET is unset/);
    const token = r.stdout.trim();
    expect(r.stdout).toBe(token + '\n');
    const check = await new TokenService(DEV_TOKEN_SECRET).verify(token);
    expect(check).toMatchObject({
      ok: true,
      claims: { player: 'p-42', team: 'Alpha', role: 'captain', tier: 'gold', spectator: false, credits: 2500, battle: 'b-7' },
    });
    // default ttl is one hour
    const { iat, exp } = decodeJwt(token);
    expect(exp! - iat!).toBe(3600);
    expect(iat!).toBeGreaterThanOrEqual(before);
    // another secret does not accept it
    expect((await new TokenService(PROD_SECRET).verify(token)).ok).toBe(false);
  });

  it('prints a spectator token with a custom ttl', async () => {
    const r = cli(['--player', 'watcher-1', '--tier', 'bronze', '--spectator', '--ttl', '120']);
    expect(r.status).toBe(0);
    const token = r.stdout.trim();
    const check = await new TokenService(DEV_TOKEN_SECRET).verify(token);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.claims).toEqual({ player: 'watcher-1', tier: 'bronze', spectator: true });
    const { iat, exp } = decodeJwt(token);
    expect(exp! - iat!).toBe(120);
  });

  it('signs with SECTORWARS_TOKEN_SECRET when set, without the warning', async () => {
    const r = cli(['--player', 'p-1', '--team', 'Beta', '--role', 'pilot', '--tier', 'silver'], PROD_SECRET);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/warning/);
    const token = r.stdout.trim();
    expect((await new TokenService(PROD_SECRET).verify(token)).ok).toBe(true);
    expect(await new TokenService(DEV_TOKEN_SECRET).verify(token)).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
  });

  it('refuses a too-short SECTORWARS_TOKEN_SECRET', () => {
    const r = cli(['--player', 'p-1', '--tier', 'silver', '--spectator'], 'short');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/SECTORWARS_TOKEN_SECRET must be at least 32 bytes/);
  });

  it('rejects bad arguments with a usage message and exit code 2', () => {
    const bad: string[][] = [
      [],
      ['--tier', 'gold', '--spectator'], // no player
      ['--player', 'p-1', '--spectator'], // no tier
      ['--player', 'p-1', '--tier', 'platinum', '--spectator'],
      ['--player', 'p-1', '--tier', 'gold'], // a player without team and role
      ['--player', 'p-1', '--tier', 'gold', '--team', 'Alpha'],
      ['--player', 'p-1', '--tier', 'gold', '--team', 'Alpha', '--role', 'emperor'],
      ['--player', 'x'.repeat(65), '--tier', 'gold', '--spectator'],
      ['--player', '', '--tier', 'gold', '--spectator'],
      ['--player', 'p-1', '--tier', 'gold', '--spectator', '--ttl', '0'],
      ['--player', 'p-1', '--tier', 'gold', '--spectator', '--ttl', 'soon'],
      ['--player', 'p-1', '--tier', 'gold', '--spectator', '--credits', '-5'],
      ['--player', 'p-1', '--tier', 'gold', '--spectator', '--credits', 'lots'],
      ['--player', 'p-1', '--tier', 'gold', '--spectator', '--bogus'],
    ];
    for (const args of bad) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(/usage: sectorwars simulate[\s\S]*sectorwars token --player ID/);
    }
  });

  it('the usage lists the token command', () => {
    const r = spawnSync(process.execPath, ['deploy/cli/sectorwars.mjs', 'help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/sectorwars token --player ID --tier TIER/);
    expect(r.stdout).toMatch(/--ttl/);
  });
});
