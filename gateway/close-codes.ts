// WebSocket close codes and error codes the gateway uses. Documented in docs/protocol.md; never renumber.

export const Close = {
  UNSUPPORTED_DATA: 1003, // a text frame: the protocol is binary protobuf only
  TOO_BIG: 1009, // a frame over the size limit (closed by the server library)
  TOKEN_MISSING: 4001, // no Hello with a token in time, or an empty token
  TOKEN_INVALID: 4002, // forged, malformed or wrongly signed token
  TOKEN_EXPIRED: 4003,
  SESSION_UNKNOWN: 4004, // resume of a session that does not exist or whose grace period ran out
  TOO_SLOW: 4008, // the client could not keep up (backpressure bound)
  FLOOD: 4029, // more messages per second than allowed
  PROTOCOL_VIOLATION: 4400, // repeated malformed frames or unknown message types
  TAKEN_OVER: 4409, // the session was resumed on another connection
  SHUTTING_DOWN: 4503,
} as const;

export const ErrorCode = {
  MALFORMED_FRAME: 'MALFORMED_FRAME',
  UNKNOWN_MESSAGE: 'UNKNOWN_MESSAGE',
  NOT_AUTHENTICATED: 'NOT_AUTHENTICATED',
  ALREADY_AUTHENTICATED: 'ALREADY_AUTHENTICATED',
  NOT_JOINED: 'NOT_JOINED',
  ALREADY_JOINED: 'ALREADY_JOINED',
  UNKNOWN_BATTLE: 'UNKNOWN_BATTLE',
  TEAM_MISMATCH: 'TEAM_MISMATCH',
  JOIN_REFUSED: 'JOIN_REFUSED',
  BAD_VIEW: 'BAD_VIEW',
  COMM_REFUSED: 'COMM_REFUSED',
} as const;

/** Gateway-level command rejections (the sector's own codes are in actors/model/reasons.ts). */
export const GatewayReason = {
  SPECTATOR: 'SPECTATOR_CANNOT_COMMAND',
  RATE_LIMITED: 'RATE_LIMITED',
  STALE: 'STALE_COMMAND',
  FUTURE: 'FUTURE_COMMAND',
  DUPLICATE: 'DUPLICATE_COMMAND',
  NOT_IN_BATTLE: 'NOT_IN_BATTLE',
  NO_ORDER: 'MALFORMED',
} as const;
