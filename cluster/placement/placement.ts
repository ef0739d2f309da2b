// Placement: which node runs which sector, as leases with fencing tokens, plus node membership.
// Single activation rests on three rules: a lease can be claimed only when free or expired; a holder
// stops turning before its lease can expire (it renews well ahead, and gives up when it cannot);
// every write a holder makes carries its fencing token, which only ever grows, so a stale owner's
// writes are refused. Redis (Lua scripts) and in-memory adapters implement this one interface.

export interface Lease {
  sector: string;
  node: string;
  token: number; // fencing token: grows with every claim or hand-off of this sector
  ttlMs: number;
}

export interface NodeInfo {
  id: string;
  address: string; // host:port of the node's gRPC server
  load: { sectors: number; players: number; units: number; turnMs: number };
}

export interface Placement {
  /** Claims a free or expired sector for `node`; null when someone else holds a live lease. */
  claim(sector: string, node: string, ttlMs: number): Promise<Lease | null>;
  /** Extends the lease if `node` still holds it with `token`; null when it does not (lost or taken over). */
  renew(sector: string, node: string, token: number, ttlMs: number): Promise<Lease | null>;
  /** Gives the lease up (if still held with `token`). */
  release(sector: string, node: string, token: number): Promise<boolean>;
  /** Moves a held lease to another node with a new fencing token (live migration). */
  handOff(sector: string, from: string, token: number, to: string, ttlMs: number): Promise<Lease | null>;
  /** The current live lease, or null. */
  owner(sector: string): Promise<Lease | null>;
  /** The newest fencing token ever issued for the sector (0 when never claimed). */
  currentToken(sector: string): Promise<number>;
  /** Registers or refreshes a node's membership; it is gone `ttlMs` after its last heartbeat. Returns whether it
   * was still registered (false on the first beat, after expiry, or when the directory lost its data). */
  heartbeat(node: NodeInfo, ttlMs: number): Promise<boolean>;
  /** Raises a sector's fencing counter to at least `min` (tokens issued afterwards are above it). */
  raiseFence(sector: string, min: number): Promise<void>;
  leave(nodeId: string): Promise<void>;
  /** Nodes whose membership has not expired, sorted by id. */
  members(): Promise<NodeInfo[]>;
  /** Sectors with a live lease, sorted by sector. */
  leases(): Promise<Lease[]>;
  close(): Promise<void>;
}

/** A write carrying `token` may proceed only while it is the newest token for the sector. */
export async function isCurrent(p: Placement, sector: string, token: number): Promise<boolean> {
  return (await p.currentToken(sector)) === token;
}
