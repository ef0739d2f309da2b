// Starting a one-process battle + gateway for tests, with hand-driven turns.

import { startLocal, type LocalCluster, type LocalOptions } from '../gateway/local.js';
import { GameClient } from '../gateway/client/game-client.js';
import type { SessionClaims } from '../gateway/auth/tokens.js';
import { generateSetup } from '../actors/sector/scenario.js';
import type { BattleSetup } from '../actors/sector/setup.js';

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
