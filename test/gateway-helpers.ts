// Starting a one-process battle + gateway for tests, with hand-driven turns.

import { startLocal, type LocalCluster, type LocalOptions } from '../gateway/local.js';
import { GameClient } from '../gateway/client/game-client.js';
import type { SessionClaims } from '../gateway/auth/tokens.js';
import { generateSetup } from '../actors/sector/scenario.js';
import type { BattleSetup } from '../actors/sector/setup.js';
import { decodeServer } from '../gateway/codec.js';

export const SECRET = 'test-secret-test-secret-test-secret-0123';
export const quietLog = { info() {}, warn() {}, error() {} };

export async function startTestCluster(over: Partial<LocalOptions> = {}, setup?: BattleSetup): Promise<LocalCluster> {
  return startLocal({ setup: setup ?? generateSetup({ teams: 4, units: 1600, seed: 21 }), secret: SECRET, log: quietLog, autoRun: false, ...over });
}

export async function tokenFor(c: LocalCluster, claims: Partial<SessionClaims> & { player: string }, ttl = 600): Promise<string> {
  return c.tokens.mint({ tier: 'gold', spectator: false, ...claims } as SessionClaims, ttl);
}

/** A client that has said hello and joined as `player` (a player of the battle's roster). */
export async function joinedClient(c: LocalCluster, player: string, extra: Partial<SessionClaims> = {}): Promise<GameClient> {
  const p = c.battle.roster.players.find((x) => x.id === player);
  const client = await GameClient.connect(c.url);
  client.hello(await tokenFor(c, { player, team: p ? c.battle.roster.teams[p.team].name : extra.team, role: (p?.role ?? extra.role ?? 'pilot') as SessionClaims['role'], tier: (extra.tier ?? p?.tier ?? 'gold') as SessionClaims['tier'], ...extra }));
  client.join(c.battle.config.battleId);
  await client.waitFor(() => client.welcome, 5000, 'welcome');
  return client;
}

/** Runs `n` turns and lets the clients receive them. */
export async function turns(c: LocalCluster, n: number, clients: GameClient[] = []): Promise<void> {
  for (let i = 0; i < n; i++) {
    await c.tick();
    const turn = c.battle.world.turn;
    for (const cl of clients) {
      const every = (cl.welcome?.updateEveryTurns as number) || 1;
      if (turn % every === 0 && !cl.closed) await cl.waitFor(() => cl.turn >= turn, 5000, `turn ${turn}`).catch(() => undefined);
    }
  }
}

// ───────────── shared by the gateway-*.test.ts suites (fog, anti-cheat, rates, resume, backpressure, bad input) ─────────────

/**
 * Gateway limits for hand-ticked tests: turns run far faster than 10/s here, so every client's automatic
 * acks would trip the per-second message flood limit (4029) and the command bucket within a few dozen turns.
 */
export const HAND_TICKED = { messagesPerSecond: 1_000_000, commandsPerSecond: 1_000_000 } as const;

/** Waits until the server has closed `client` and returns the close code and reason. */
export async function closedWith(client: GameClient, timeoutMs = 5000): Promise<{ code: number; reason: string }> {
  return client.waitFor(() => client.closed, timeoutMs, 'close');
}

/** Frame index of every unit id of a frame. */
export function frameIndex(f: { count: number; id: Int32Array }): Map<number, number> {
  const m = new Map<number, number>();
  for (let i = 0; i < f.count; i++) m.set(f.id[i], i);
  return m;
}

/** Ids of the live units a player owns, from the battle's world. */
export function unitIdsOf(c: LocalCluster, player: string): number[] {
  const p = c.battle.roster.players.find((x) => x.id === player);
  if (!p) return [];
  const w = c.battle.world;
  const out: number[] = [];
  for (let s = 0; s < w.highWater; s++) if (w.alive[s] === 1 && w.owner[s] === p.index) out.push((w.gen[s] << 20) | s);
  return out;
}

/** A free spectator (spectator token) that has joined with `join` (mode, followPlayer, followUnit). */
export async function spectatorClient(c: LocalCluster, id: string, join: Record<string, unknown> = {}): Promise<GameClient> {
  const client = await GameClient.connect(c.url);
  client.hello(await c.tokens.mint({ player: id, tier: 'bronze', spectator: true }, 600));
  client.join(c.battle.config.battleId, { spectator: true, ...join });
  await client.waitFor(() => client.welcome, 5000, 'spectator welcome');
  return client;
}

/** Every server message a client receives, in arrival order: its body and the turn it carries. */
export function recordArrivals(client: GameClient): { body: string; turn: number; msg: Record<string, unknown> }[] {
  const out: { body: string; turn: number; msg: Record<string, unknown> }[] = [];
  client.ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return;
    const m = decodeServer(data);
    const body = m.body ?? '';
    const msg = (m[body] ?? {}) as Record<string, unknown>;
    out.push({ body, turn: Number(msg.turn ?? 0), msg });
  });
  return out;
}
