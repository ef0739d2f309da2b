// k6 load scenario: every VU plays one game client's session against the gateway.
//
//   k6 run -e TOKENS_FILE=./tokens.json -e BATTLE_ID=battle-7 load/k6/game-session.ts
//
// Per session: connect to ${GATEWAY_URL}/play, send Hello{token} and JoinBattle{battle_id}, then every second a few
// Commands (move / stance / hold over the player's own units from Welcome.your_units) and a Ping; Ack every
// Snapshot/Delta's turn. See load/k6/README.md for the environment variables and metrics.

import { check, fail, sleep } from 'k6';
import { Counter, Rate, Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import ws from 'k6/ws';
import {
  AckPacer, WireError, decodeServerMessage, encodeClientMessage, toArrayBuffer,
  type ClientBody, type Order, type ResultMsg, type StanceName, type WelcomeMsg,
} from './wire.ts';
import { GATEWAY_URL, envInt, sessionTokens } from './setup.ts';

// ───────────────────────────── configuration ─────────────────────────────

const BATTLE_ID = __ENV.BATTLE_ID || 'battle-7';
const PLAYERS = envInt('PLAYERS', 50); // peak VUs, one player (token) each
const RAMP_UP = __ENV.RAMP_UP || '30s';
const HOLD = __ENV.HOLD || '2m';
const RAMP_DOWN = __ENV.RAMP_DOWN || '20s';
const SESSION_SECONDS = envInt('SESSION_SECONDS', 60); // one iteration = one session this long
const COMMANDS_PER_SECOND = envInt('COMMANDS_PER_SECOND', 3);
const UNITS_PER_COMMAND = Math.min(100, Math.max(1, envInt('UNITS_PER_COMMAND', 10)));
const WORLD_SIZE = envInt('WORLD_SIZE', 4000); // move targets are drawn from [0, WORLD_SIZE) unless Welcome says otherwise

const tokens = sessionTokens('player'); // loaded once in the init context, shared read-only between VUs

export const options: Options = {
  scenarios: {
    players: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: RAMP_UP, target: PLAYERS },
        { duration: HOLD, target: PLAYERS },
        { duration: RAMP_DOWN, target: 0 },
      ],
      gracefulRampDown: `${SESSION_SECONDS + 10}s`,
      gracefulStop: `${SESSION_SECONDS + 10}s`,
    },
  },
  thresholds: {
    // the turn reaches the client within 250 ms for 95 %, 500 ms for 99 % (includes clock skew: see README)
    sectorwars_turn_latency_ms: ['p(95)<250', 'p(99)<500'],
    sectorwars_ping_rtt_ms: ['p(95)<150'],
    sectorwars_command_accepted: ['rate>0.9'],
    sectorwars_server_errors: ['count<10'],
    sectorwars_turn_updates: ['count>0'],
    ws_connecting: ['p(95)<1000'],
    checks: ['rate>0.99'],
  },
};

// ───────────────────────────── metrics ─────────────────────────────

/** Date.now() at the client minus the turn's server_time_ms, for each Snapshot and Delta. */
const turnLatency = new Trend('sectorwars_turn_latency_ms', true);
/** Size of every server frame, tagged by message kind. */
const messageBytes = new Trend('sectorwars_message_bytes');
/** Command results, tagged result=accepted|rejected and reason. */
const commandResults = new Counter('sectorwars_command_results');

const commandAccepted = new Rate('sectorwars_command_accepted');
function countResult(r: ResultMsg): void {
  commandResults.add(1, r.accepted ? { result: 'accepted' } : { result: 'rejected', reason: r.reason || 'unknown' });
  commandAccepted.add(r.accepted);
}
const commandsSent = new Counter('sectorwars_commands_sent');
const turnUpdates = new Counter('sectorwars_turn_updates');
const pingRtt = new Trend('sectorwars_ping_rtt_ms', true);
const serverErrors = new Counter('sectorwars_server_errors');
const malformedFrames = new Counter('sectorwars_malformed_frames');
const closes = new Counter('sectorwars_closes');

// ───────────────────────────── the session ─────────────────────────────

/** A small seeded PRNG (mulberry32): each VU's orders are reproducible from its number. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STANCES: StanceName[] = ['AGGRESSIVE', 'BALANCED', 'DEFENSIVE'];

export default function session(): void {
  if (__VU > tokens.length) fail(`VU ${__VU} has no token: ${__ENV.TOKENS_FILE} holds ${tokens.length}, mint one per VU (PLAYERS)`);
  const token = tokens[__VU - 1];
  const rand = prng(__VU * 7919 + __ITER);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

  let seq = 0;
  let commandNo = 0;
  let nonce = 0;
  let latestTurn = 0;
  const acks = new AckPacer();
  let welcome: WelcomeMsg | null = null;
  let welcomedAt = 0;
  let updates = 0;
  const openedAt = Date.now();

  const url = `${GATEWAY_URL}/play`;
  const res = ws.connect(url, { tags: { scenario_kind: 'player' } }, (socket) => {
    let closing = false;
    const send = (body: ClientBody): boolean => {
      if (closing) return false;
      socket.sendBinary(toArrayBuffer(encodeClientMessage(++seq, body)));
      return true;
    };

    const someUnits = (units: number[]): number[] => {
      if (units.length <= UNITS_PER_COMMAND) return units.slice();
      const start = Math.floor(rand() * units.length);
      const out: number[] = [];
      for (let i = 0; i < UNITS_PER_COMMAND; i++) out.push(units[(start + i) % units.length]);
      return out;
    };

    const randomOrder = (units: number[]): Order => {
      const scope = { units: someUnits(units) };
      const kind = pick(['move', 'move', 'stance', 'hold'] as const);
      if (kind === 'move') return { kind, scope, x: Math.floor(rand() * WORLD_SIZE), y: Math.floor(rand() * WORLD_SIZE) };
      if (kind === 'stance') return { kind, scope, stance: pick(STANCES) };
      return { kind, scope };
    };

    socket.on('open', () => {
      send({ kind: 'hello', token });
      send({ kind: 'join', join: { battleId: BATTLE_ID } });
    });

    socket.on('binaryMessage', (data: ArrayBuffer) => {
      let msg;
      try {
        msg = decodeServerMessage(data);
      } catch (err) {
        if (!(err instanceof WireError)) throw err;
        malformedFrames.add(1);
        return;
      }
      messageBytes.add(data.byteLength, { kind: msg.kind });
      switch (msg.kind) {
        case 'welcome':
          welcome = msg;
          welcomedAt = Date.now();
          latestTurn = Math.max(latestTurn, msg.turn);
          check(msg, {
            'welcome names the battle': (w) => w.battleId === BATTLE_ID,
            'welcome is not a spectator session': (w) => !w.spectator,
          });
          break;
        case 'snapshot':
        case 'delta':
          updates++;
          turnUpdates.add(1, { kind: msg.kind });
          latestTurn = Math.max(latestTurn, msg.turn);
          if (msg.serverTimeMs > 0) turnLatency.add(Date.now() - msg.serverTimeMs, { kind: msg.kind });
          if (acks.due(msg.kind)) send({ kind: 'ack', turn: msg.turn }); // the resume point
          for (const r of msg.results) countResult(r); // results ride the updates
          break;
        case 'result': // alone only right after a resume
          countResult(msg);
          break;
        case 'pong':
          if (msg.clientTimeMs > 0) pingRtt.add(Date.now() - msg.clientTimeMs);
          latestTurn = Math.max(latestTurn, msg.turn);
          break;
        case 'error':
          serverErrors.add(1, { code: msg.code });
          break;
        default:
          break;
      }
    });

    socket.setInterval(() => {
      send({ kind: 'ping', nonce: ++nonce, clientTimeMs: Date.now() });
      const units = welcome?.yourUnits ?? [];
      if (!welcome || units.length === 0) return;
      for (let i = 0; i < COMMANDS_PER_SECOND; i++) {
        if (send({ kind: 'command', command: { id: `vu${__VU}-i${__ITER}-c${++commandNo}`, turn: latestTurn, order: randomOrder(units) } })) commandsSent.add(1);
      }
    }, 1000);

    socket.on('close', (code: number) => {
      closes.add(1, { code: String(code) });
    });

    socket.on('error', (e) => {
      serverErrors.add(1, { code: 'SOCKET_ERROR', error: e.error() });
    });

    socket.setTimeout(() => {
      closing = true;
      socket.close(1000);
    }, SESSION_SECONDS * 1000);
  });

  check(res, { 'websocket upgrade (101)': (r) => r !== null && r.status === 101 });
  check(null, {
    'welcome received': () => welcome !== null,
    'welcome within 5 s': () => welcome !== null && welcomedAt - openedAt < 5000,
    'turn updates received': () => updates > 0,
  });
  sleep(1 + rand()); // think time before the next session
}
