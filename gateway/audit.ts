// Audit log: every command a client sent, accepted or rejected, with player, turn and reason —
// the record a cheat investigation starts from.

export interface AuditEntry {
  at: number; // ms since epoch
  battleId: string;
  player: string;
  turn: number; // the sector's turn when decided
  commandId: string;
  kind: string;
  accepted: boolean;
  reason?: string;
  stage: 'gateway' | 'sector';
}

export interface AuditLog {
  record(e: AuditEntry): void;
}

/** Keeps the last `capacity` entries (up to an eighth more between trims) in memory (tests, the operator's recent view). */
export class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];
  constructor(private readonly capacity = 100_000) {}
  record(e: AuditEntry): void {
    this.entries.push(e);
    // trimmed in chunks: dropping one entry per record would move the whole array every time once it is full
    if (this.entries.length > this.capacity + (this.capacity >> 3)) this.entries.splice(0, this.entries.length - this.capacity);
  }
}

/** Writes each entry as a structured log line. */
export class LoggerAuditLog implements AuditLog {
  constructor(private readonly log: { info(o: object, msg: string): void }) {}
  record(e: AuditEntry): void {
    this.log.info({ audit: e }, 'command');
  }
}

export class TeeAuditLog implements AuditLog {
  constructor(private readonly logs: AuditLog[]) {}
  record(e: AuditEntry): void {
    for (const l of this.logs) l.record(e);
  }
}
