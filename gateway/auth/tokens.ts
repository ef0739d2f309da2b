// Session tokens: signed (HS256), expiring JWTs that a game client presents in Hello / Resume.
// `sectorwars token` mints them for local use; the gateway verifies them before a client may join a battle.
//
// Payload: sub = player id, iss = issuer ('sectorwars'), iat, exp, plus the session claims
// tier, spectator, and when present team, role, credits, battle.

import { SignJWT, errors, jwtVerify, type JWTPayload } from 'jose';
import { isRole, isTier, type Role, type Tier } from '../../actors/model/roles.js';

export interface SessionClaims {
  player: string;
  tier: Tier;
  spectator: boolean;
  team?: string;
  role?: Role;
  credits?: number;
  battle?: string;
}

/** expiresAt is the token's exp in epoch milliseconds (comparable with Date.now()). */
export type TokenCheck =
  | { ok: true; claims: SessionClaims; expiresAt: number }
  | { ok: false; code: 'TOKEN_MISSING' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED'; message: string };

/** Used when SECTORWARS_TOKEN_SECRET is unset. Public knowledge: never accept it in production. */
export const DEV_TOKEN_SECRET = 'sectorwars-development-secret-do-not-use-in-production';

export const DEFAULT_ISSUER = 'sectorwars';
/** HS256 keys shorter than the hash output are refused (RFC 7518 §3.2). */
export const MIN_SECRET_BYTES = 32;
/** Longer tokens are refused before any parsing. */
export const MAX_TOKEN_CHARS = 4096;
const MAX_ID_CHARS = 64;
const ALG = 'HS256';

export function tokenSecretFromEnv(env: NodeJS.ProcessEnv = process.env): { secret: string; development: boolean } {
  const secret = env.SECTORWARS_TOKEN_SECRET;
  if (secret === undefined || secret === '') return { secret: DEV_TOKEN_SECRET, development: true };
  if (new TextEncoder().encode(secret).length < MIN_SECRET_BYTES) {
    throw new Error(`SECTORWARS_TOKEN_SECRET must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  return { secret, development: false };
}

/** Why `c` is not a valid set of session claims, or undefined when it is. */
export function claimsProblem(c: unknown): string | undefined {
  if (typeof c !== 'object' || c === null) return 'claims must be an object';
  const r = c as Record<string, unknown>;
  const idOk = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= MAX_ID_CHARS;
  if (!idOk(r.player)) return `player must be a string of 1 to ${MAX_ID_CHARS} characters`;
  if (!isTier(r.tier)) return 'tier must be bronze, silver or gold';
  if (typeof r.spectator !== 'boolean') return 'spectator must be a boolean';
  if (r.team !== undefined && !idOk(r.team)) return `team must be a string of 1 to ${MAX_ID_CHARS} characters`;
  if (r.role !== undefined && !isRole(r.role)) return 'role must be supreme_commander, admiral, captain or pilot';
  if (r.credits !== undefined && (typeof r.credits !== 'number' || !Number.isFinite(r.credits) || r.credits < 0)) {
    return 'credits must be a non-negative number';
  }
  if (r.battle !== undefined && !idOk(r.battle)) return `battle must be a string of 1 to ${MAX_ID_CHARS} characters`;
  if (!r.spectator && (r.team === undefined || r.role === undefined)) return 'a player token (not spectator) needs team and role';
  return undefined;
}

export class TokenService {
  private readonly key: Uint8Array;
  private readonly issuer: string;
  private readonly clockTolerance: number;

  constructor(secret: string | Uint8Array, opts: { issuer?: string; clockToleranceSeconds?: number } = {}) {
    this.key = typeof secret === 'string' ? new TextEncoder().encode(secret) : Uint8Array.from(secret);
    if (this.key.length < MIN_SECRET_BYTES) throw new RangeError(`token secret must be at least ${MIN_SECRET_BYTES} bytes`);
    this.issuer = opts.issuer ?? DEFAULT_ISSUER;
    const tol = opts.clockToleranceSeconds ?? 0;
    if (!Number.isFinite(tol) || tol < 0) throw new RangeError('clockToleranceSeconds must be a non-negative number');
    this.clockTolerance = tol;
  }

  /** Signs `claims` for `ttlSeconds` from now. Throws on invalid claims or ttl (a programming or usage error). */
  async mint(claims: SessionClaims, ttlSeconds: number): Promise<string> {
    const problem = claimsProblem(claims);
    if (problem) throw new TypeError(`invalid session claims: ${problem}`);
    if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) throw new RangeError('ttlSeconds must be a positive number');
    const now = Math.floor(Date.now() / 1000);
    const body: JWTPayload = { tier: claims.tier, spectator: claims.spectator };
    if (claims.team !== undefined) body.team = claims.team;
    if (claims.role !== undefined) body.role = claims.role;
    if (claims.credits !== undefined) body.credits = claims.credits;
    if (claims.battle !== undefined) body.battle = claims.battle;
    return new SignJWT(body)
      .setProtectedHeader({ alg: ALG, typ: 'JWT' })
      .setSubject(claims.player)
      .setIssuer(this.issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + Math.ceil(ttlSeconds))
      .sign(this.key);
  }

  /** Checks signature, issuer, expiry and claim shapes. Never throws. */
  async verify(token: string | undefined | null): Promise<TokenCheck> {
    if (token === undefined || token === null || (typeof token === 'string' && token.trim() === '')) {
      return { ok: false, code: 'TOKEN_MISSING', message: 'no session token' };
    }
    if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) return invalid('malformed session token');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: [ALG],
        issuer: this.issuer,
        clockTolerance: this.clockTolerance,
        requiredClaims: ['sub', 'exp', 'iat', 'iss'],
      }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) return { ok: false, code: 'TOKEN_EXPIRED', message: 'session token expired' };
      if (err instanceof errors.JWSSignatureVerificationFailed) return invalid('session token signature is not valid');
      if (err instanceof errors.JWTClaimValidationFailed) return invalid(`session token claim ${err.claim} is not valid`);
      return invalid('malformed session token');
    }
    const claims: Record<string, unknown> = { player: payload.sub, tier: payload.tier, spectator: payload.spectator };
    for (const k of ['team', 'role', 'credits', 'battle'] as const) if (payload[k] !== undefined) claims[k] = payload[k];
    const problem = claimsProblem(claims);
    if (problem) return invalid(`session token claims are not valid: ${problem}`);
    if (typeof payload.exp !== 'number') return invalid('session token has no expiry');
    return { ok: true, claims: claims as unknown as SessionClaims, expiresAt: payload.exp * 1000 };
  }
}

function invalid(message: string): TokenCheck {
  return { ok: false, code: 'TOKEN_INVALID', message };
}
