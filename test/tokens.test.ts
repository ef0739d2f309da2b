import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEV_TOKEN_SECRET, TokenService, tokenSecretFromEnv, type SessionClaims, type TokenCheck } from '../gateway/auth/tokens.js';

const SECRET = 'test-secret-that-is-long-enough-for-hs256!';
const key = new TextEncoder().encode(SECRET);
const pilot: SessionClaims = { player: 'p-17', tier: 'silver', spectator: false, team: 'Alpha', role: 'pilot', credits: 1500, battle: 'b-1' };

const b64url = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** A correctly signed token with an arbitrary payload (to test claim validation after the signature passed). */
function signRaw(payload: Record<string, unknown>, opts: { secret?: Uint8Array; alg?: string } = {}) {
  return new SignJWT(payload).setProtectedHeader({ alg: opts.alg ?? 'HS256', typ: 'JWT' }).sign(opts.secret ?? key);
}

function expectFail(r: TokenCheck, code: 'TOKEN_MISSING' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED') {
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('expected a failed check');
  expect(r.code).toBe(code);
  expect(r.message.length).toBeGreaterThan(0);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('TokenService mint/verify', () => {
  it('round-trips every claim and sets sub, iss, iat, exp', async () => {
    const svc = new TokenService(SECRET);
    const before = Date.now();
    const token = await svc.mint(pilot, 600);
    expect(token.split('.')).toHaveLength(3);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    const payload = decodeJwt(token);
    expect(payload.sub).toBe('p-17');
    expect(payload.iss).toBe('sectorwars');
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload.iat! * 1000).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);

    const r = await svc.verify(token);
    expect(r).toEqual({ ok: true, claims: pilot, expiresAt: payload.exp! * 1000 });
  });

  it('round-trips a minimal spectator token without optional claims', async () => {
    const svc = new TokenService(SECRET);
    const claims: SessionClaims = { player: 'watcher', tier: 'bronze', spectator: true };
    const r = await svc.verify(await svc.mint(claims, 60));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.claims).toEqual(claims);
    expect(Object.keys(r.claims).sort()).toEqual(['player', 'spectator', 'tier']);
    expect(r.expiresAt).toBeGreaterThan(Date.now());
    expect(r.expiresAt).toBeLessThanOrEqual(Date.now() + 61_000);
  });

  it('accepts a Uint8Array secret equal to the string secret', async () => {
    const a = new TokenService(SECRET);
    const b = new TokenService(key);
    expect((await b.verify(await a.mint(pilot, 60))).ok).toBe(true);
  });

  it('uses a custom issuer and rejects tokens from another issuer', async () => {
    const lobby = new TokenService(SECRET, { issuer: 'lobby' });
    const t = await lobby.mint(pilot, 60);
    expect(decodeJwt(t).iss).toBe('lobby');
    expect((await lobby.verify(t)).ok).toBe(true);
    expectFail(await new TokenService(SECRET).verify(t), 'TOKEN_INVALID');
  });

  it('mint refuses invalid claims and ttl', async () => {
    const svc = new TokenService(SECRET);
    await expect(svc.mint({ ...pilot, player: '' }, 60)).rejects.toThrow(/player/);
    await expect(svc.mint({ ...pilot, team: undefined }, 60)).rejects.toThrow(/team and role/);
    await expect(svc.mint({ ...pilot, tier: 'platinum' as never }, 60)).rejects.toThrow(/tier/);
    await expect(svc.mint(pilot, 0)).rejects.toThrow(/ttl/);
    await expect(svc.mint(pilot, -5)).rejects.toThrow(/ttl/);
    await expect(svc.mint(pilot, Number.NaN)).rejects.toThrow(/ttl/);
  });

  it('refuses secrets shorter than 32 bytes', () => {
    expect(() => new TokenService('short')).toThrow(/32 bytes/);
    expect(() => new TokenService(new Uint8Array(31))).toThrow(/32 bytes/);
    expect(() => new TokenService(new Uint8Array(32))).not.toThrow();
  });
});

describe('TokenService failure codes', () => {
  const svc = new TokenService(SECRET);

  it('TOKEN_MISSING for undefined, null and empty tokens', async () => {
    for (const t of [undefined, null, '', '   ']) expectFail(await svc.verify(t), 'TOKEN_MISSING');
  });

  it('TOKEN_INVALID for malformed tokens, never throwing', async () => {
    const good = await svc.mint(pilot, 60);
    const bad = ['x', 'a.b', 'a.b.c', 'not a jwt at all', '...', good + '.extra', good.split('.').slice(0, 2).join('.'),
      'a'.repeat(10_000), 42 as unknown as string, { token: good } as unknown as string];
    for (const t of bad) expectFail(await svc.verify(t), 'TOKEN_INVALID');
  });

  it('TOKEN_EXPIRED once exp has passed, TOKEN_INVALID if it is also forged', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const token = await svc.mint(pilot, 60);
    const forged = await new TokenService('another-secret-that-is-also-long-enough').mint(pilot, 60);
    vi.setSystemTime(new Date('2030-01-01T00:00:59Z'));
    expect((await svc.verify(token)).ok).toBe(true);
    vi.setSystemTime(new Date('2030-01-01T00:01:01Z'));
    expectFail(await svc.verify(token), 'TOKEN_EXPIRED');
    expectFail(await svc.verify(forged), 'TOKEN_INVALID');
  });

  it('clock tolerance extends the accepted window', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const lenient = new TokenService(SECRET, { clockToleranceSeconds: 30 });
    const token = await lenient.mint(pilot, 60);
    vi.setSystemTime(new Date('2030-01-01T00:01:20Z'));
    expect((await lenient.verify(token)).ok).toBe(true);
    expectFail(await svc.verify(token), 'TOKEN_EXPIRED');
    vi.setSystemTime(new Date('2030-01-01T00:01:31Z'));
    expectFail(await lenient.verify(token), 'TOKEN_EXPIRED');
  });

  it('TOKEN_INVALID for a token signed with another secret', async () => {
    const other = new TokenService('another-secret-that-is-also-long-enough');
    const t = await other.mint(pilot, 60);
    expect((await other.verify(t)).ok).toBe(true);
    expectFail(await svc.verify(t), 'TOKEN_INVALID');
    expectFail(await new TokenService(DEV_TOKEN_SECRET).verify(t), 'TOKEN_INVALID');
  });

  it('TOKEN_INVALID for alg=none (unsigned) tokens', async () => {
    const payload = { sub: 'p-17', iss: 'sectorwars', iat: now(), exp: now() + 600, tier: 'gold', spectator: false, team: 'Alpha', role: 'supreme_commander' };
    for (const header of [{ alg: 'none', typ: 'JWT' }, { alg: 'None' }, { alg: 'NONE' }]) {
      expectFail(await svc.verify(`${b64url(header)}.${b64url(payload)}.`), 'TOKEN_INVALID');
    }
    // an alg=none header in front of a real signature does not pass either
    const real = await svc.mint(pilot, 60);
    const [, body, sig] = real.split('.');
    expectFail(await svc.verify(`${b64url({ alg: 'none', typ: 'JWT' })}.${body}.${sig}`), 'TOKEN_INVALID');
  });

  it('TOKEN_INVALID for a token signed with the right secret but another HMAC algorithm', async () => {
    const t = await signRaw({ sub: 'p-17', iss: 'sectorwars', iat: now(), exp: now() + 60, tier: 'gold', spectator: true }, { alg: 'HS512' });
    expectFail(await svc.verify(t), 'TOKEN_INVALID');
  });

  it('TOKEN_INVALID for a tampered payload or header', async () => {
    const t = await svc.mint(pilot, 60);
    const [h, p, s] = t.split('.');
    const promoted = { ...decodeJwt(t), role: 'supreme_commander', tier: 'gold' };
    expectFail(await svc.verify(`${h}.${b64url(promoted)}.${s}`), 'TOKEN_INVALID');
    const extended = { ...decodeJwt(t), exp: now() + 10 * 365 * 86400 };
    expectFail(await svc.verify(`${h}.${b64url(extended)}.${s}`), 'TOKEN_INVALID');
    // a flipped signature character
    const flipped = s[0] === 'A' ? 'B' + s.slice(1) : 'A' + s.slice(1);
    expectFail(await svc.verify(`${h}.${p}.${flipped}`), 'TOKEN_INVALID');
    expectFail(await svc.verify(`${b64url({ alg: 'HS256', typ: 'JWT', kid: 'x' })}.${p}.${s}`), 'TOKEN_INVALID');
  });
});

describe('TokenService claim validation', () => {
  const svc = new TokenService(SECRET);
  const base = () => ({ sub: 'p-1', iss: 'sectorwars', iat: now(), exp: now() + 600, tier: 'silver', spectator: false, team: 'Beta', role: 'captain' });

  it('accepts the well-formed base payload (control)', async () => {
    const r = await svc.verify(await signRaw(base()));
    expect(r).toMatchObject({ ok: true, claims: { player: 'p-1', tier: 'silver', spectator: false, team: 'Beta', role: 'captain' } });
  });

  it('accepts player ids of 1 and 64 characters', async () => {
    for (const sub of ['x', 'p'.repeat(64)]) expect((await svc.verify(await signRaw({ ...base(), sub }))).ok).toBe(true);
  });

  const cases: Array<[string, (p: Record<string, unknown>) => void]> = [
    ['missing sub', (p) => { delete p.sub; }],
    ['empty sub', (p) => { p.sub = ''; }],
    ['65-character sub', (p) => { p.sub = 'p'.repeat(65); }],
    ['numeric sub', (p) => { p.sub = 17; }],
    ['missing tier', (p) => { delete p.tier; }],
    ['unknown tier', (p) => { p.tier = 'platinum'; }],
    ['missing spectator', (p) => { delete p.spectator; }],
    ['string spectator', (p) => { p.spectator = 'false'; }],
    ['unknown role', (p) => { p.role = 'emperor'; }],
    ['player without team', (p) => { delete p.team; }],
    ['player without role', (p) => { delete p.role; }],
    ['empty team', (p) => { p.team = ''; }],
    ['negative credits', (p) => { p.credits = -1; }],
    ['string credits', (p) => { p.credits = '100'; }],
    ['non-string battle', (p) => { p.battle = 7; }],
    ['missing exp', (p) => { delete p.exp; }],
    ['missing iat', (p) => { delete p.iat; }],
    ['missing iss', (p) => { delete p.iss; }],
    ['wrong iss', (p) => { p.iss = 'someone-else'; }],
    ['future nbf', (p) => { p.nbf = now() + 3600; }],
  ];
  for (const [name, mutate] of cases) {
    it(`TOKEN_INVALID for ${name}`, async () => {
      const p = base();
      mutate(p);
      expectFail(await svc.verify(await signRaw(p)), 'TOKEN_INVALID');
    });
  }

  it('a spectator token needs neither team nor role, but a role present must be valid', async () => {
    const spec = { ...base(), spectator: true, team: undefined, role: undefined };
    expect((await svc.verify(await signRaw(JSON.parse(JSON.stringify(spec))))).ok).toBe(true);
    expectFail(await svc.verify(await signRaw({ ...JSON.parse(JSON.stringify(spec)), role: 'king' })), 'TOKEN_INVALID');
  });
});

describe('tokenSecretFromEnv', () => {
  it('falls back to the development secret when unset or empty', () => {
    expect(tokenSecretFromEnv({})).toEqual({ secret: DEV_TOKEN_SECRET, development: true });
    expect(tokenSecretFromEnv({ SECTORWARS_TOKEN_SECRET: '' })).toEqual({ secret: DEV_TOKEN_SECRET, development: true });
  });

  it('uses SECTORWARS_TOKEN_SECRET when set, and refuses a short one', () => {
    expect(tokenSecretFromEnv({ SECTORWARS_TOKEN_SECRET: SECRET })).toEqual({ secret: SECRET, development: false });
    expect(() => tokenSecretFromEnv({ SECTORWARS_TOKEN_SECRET: 'hunter2' })).toThrow(/at least 32 bytes/);
  });

  it('the development secret is usable by TokenService', async () => {
    const svc = new TokenService(DEV_TOKEN_SECRET);
    expect((await svc.verify(await svc.mint(pilot, 60))).ok).toBe(true);
  });
});
