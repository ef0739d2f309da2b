// Stable reason codes for every rejection. Clients and operators match on the code; the message is for people.

export const REASONS = [
  'MALFORMED', 'UNKNOWN_ORDER', 'UNKNOWN_PLAYER', 'UNKNOWN_TEAM', 'UNKNOWN_SQUADRON', 'UNKNOWN_UNIT', 'UNKNOWN_TARGET',
  'NOT_YOUR_UNIT', 'NO_AUTHORITY', 'NO_UNITS', 'PLAYER_NOT_ACTIVE', 'UNIT_RETREATING',
  'INVALID_COORDINATES', 'OUT_OF_BOUNDS', 'SPEED_EXCEEDED', 'INSUFFICIENT_FUEL', 'NO_AMMUNITION',
  'TARGET_NOT_HOSTILE', 'TARGET_NOT_VISIBLE', 'NOT_A_TEAMMATE', 'OUT_OF_RANGE',
  'ALREADY_JOINED', 'ROLE_TAKEN', 'TIER_LIMIT', 'FLEET_TOO_LARGE', 'UNIT_TYPE_NOT_ALLOWED', 'INSUFFICIENT_CREDITS',
  'NO_PROPOSAL', 'NOT_IN_TRUCE', 'NOT_ALLIED', 'SAME_TEAM', 'QUEUE_FULL', 'LOG_BACKLOG', 'SECTOR_UNAVAILABLE', 'SECTOR_RECOVERED', 'INVALID_SETUP',
] as const;
export type Reason = (typeof REASONS)[number];

export type Verdict = { ok: true } | { ok: false; reason: Reason; message: string };

export const OK: Verdict = Object.freeze({ ok: true });

export function reject(reason: Reason, message: string): Verdict {
  return { ok: false, reason, message };
}

/** Thrown for a malformed battle set-up; carries a stable reason code. */
export class BattleSetupError extends Error {
  readonly reason: Reason = 'INVALID_SETUP';
  constructor(message: string) {
    super(message);
    this.name = 'BattleSetupError';
  }
}
