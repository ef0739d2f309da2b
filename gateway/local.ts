// A single process running one battle and its gateway: the actor system, the sector and its loop,
// the in-process SectorLink, the gateway and the uWebSockets.js server. `npm start`, tests and the
// gateway benchmark build on this.

import { createActorSystem, type ActorSystem } from '../actors/runtime.js';
import { InMemoryCommandLog, type CommandLog } from '../actors/sector/command-log.js';
import { SectorLoop, type Clock } from '../actors/sector/loop.js';
import type { PublishedTurn, SectorMsg } from '../actors/sector/sector-actor.js';
import { spawnSector } from '../actors/sector/sector-actor.js';
import { createBattle, type BattleSetup } from '../actors/sector/setup.js';
import type { Battle } from '../actors/sector/battle.js';
import type { ActorRef } from '../actors/runtime.js';
import { TokenService } from './auth/tokens.js';
import { MemoryAuditLog, type AuditLog } from './audit.js';
import { Gateway, type GatewayOptions, type Logger } from './gateway.js';
import { LocalSectorLink, type SectorLink } from './link/sector-link.js';
import { GatewayMetrics } from './metrics.js';
import { startServer, type RunningServer, type ServerOptions } from './uws-server.js';

export interface LocalOptions {
  setup: BattleSetup;
  secret: string;
  log: Logger;
  audit?: AuditLog;
  gateway?: Partial<GatewayOptions>;
  server?: ServerOptions;
  clock?: Clock;
  autoRun?: boolean; // run the sector loop in real time (default true); false: tests tick by hand
  commandLog?: CommandLog; // default: in memory
  onTurn?: (t: PublishedTurn, costMs: number) => boolean | void;
}

export interface LocalCluster {
  battle: Battle;
  system: ActorSystem;
  sector: ActorRef<SectorMsg>;
  link: LocalSectorLink;
  gateway: Gateway;
  server: RunningServer;
  tokens: TokenService;
  audit: AuditLog;
  loop: SectorLoop;
  url: string;
  tick(): Promise<PublishedTurn>;
  stop(): Promise<void>;
}

export interface GatewayNode {
  gateway: Gateway;
  server: RunningServer;
  tokens: TokenService;
  audit: AuditLog;
  url: string;
  stop(): void;
}

/** A gateway in front of any SectorLink (in-process or gRPC), on uWebSockets.js. */
export async function startGateway(o: { link: SectorLink; secret: string; log: Logger; audit?: AuditLog; gateway?: Partial<GatewayOptions>; server?: ServerOptions; metrics?: boolean }): Promise<GatewayNode> {
  const tokens = new TokenService(o.secret);
  const audit = o.audit ?? new MemoryAuditLog();
  const gateway = new Gateway({ link: o.link, tokens, audit, log: o.log, metrics: new GatewayMetrics(o.metrics ?? false), ...o.gateway });
  const server = await startServer(gateway, o.server);
  return { gateway, server, tokens, audit, url: `ws://127.0.0.1:${server.port}/play`, stop: () => { gateway.stop(); server.close(); } };
}

export async function startLocal(o: LocalOptions): Promise<LocalCluster> {
  const battle = createBattle(o.setup);
  const system = createActorSystem('node', (actor, err) => o.log.error({ actor, err }, 'actor handler failed'));
  const sector = spawnSector(system, battle, o.commandLog ?? new InMemoryCommandLog());
  const link = new LocalSectorLink(system, sector, battle);
  const { gateway, server, tokens, audit } = await startGateway({ link, secret: o.secret, log: o.log, audit: o.audit, gateway: o.gateway, server: o.server, metrics: o.autoRun !== false });
  const loop = new SectorLoop(system, sector, battle.config.turnsPerSecond, o.clock, {}, o.onTurn);
  loop.onError = (err) => o.log.error({ err }, 'sector tick failed');
  if (o.autoRun !== false) void loop.start();
  const tick = () => system.ask<SectorMsg, PublishedTurn>(sector, (reply) => ({ type: 'tick', dilation: 1, reply }));
  return {
    battle, system, sector, link, gateway, server, tokens, audit, loop, url: `ws://127.0.0.1:${server.port}/play`, tick,
    async stop() {
      await loop.stop();
      gateway.stop();
      server.close();
      system.shutdown();
    },
  };
}
