// k6 load scenario: spectators. Every VU joins the battle as a spectator and reads the Summaries the gateway
// sends free spectators (every 5 s, about the battle 15 s ago).
//
//   k6 run -e TOKENS_FILE=./spectator-tokens.json -e BATTLE_ID=battle-7 load/k6/spectators.ts
//
// The tokens must be spectator tokens (`npx sectorwars token --spectator ...`). See load/k6/README.md.

import { check, fail, sleep } from 'k6';
import { Counter, Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import ws from 'k6/ws';
import { AckPacer, SPECTATOR_MODE, WireError, decodeServerMessage, encodeClientMessage, toArrayBuffer, type ClientBody, type SpectatorModeName } from './wire.ts';
import { GATEWAY_URL, envInt, sessionTokens } from './setup.ts';

const BATTLE_ID = __ENV.BATTLE_ID || 'battle-7';
const SPECTATORS = envInt('SPECTATORS', 200);
const RAMP_UP = __ENV.RAMP_UP || '30s';
const HOLD = __ENV.HOLD || '2m';
const SESSION_SECONDS = envInt('SESSION_SECONDS', 60);
const MODE = (__ENV.SPECTATOR_MODE || 'WHOLE_SECTOR') as SpectatorModeName;
if (!(MODE in SPECTATOR_MODE)) throw new Error(`SPECTATOR_MODE must be one of ${Object.keys(SPECTATOR_MODE).join(', ')}`);
const FOLLOW_PLAYER = __ENV.FOLLOW_PLAYER || '';
const FOLLOW_UNIT = envInt('FOLLOW_UNIT', 0);

const tokens = sessionTokens('spectator'); // loaded once in the init context, shared read-only between VUs

export const options: Options = {
  scenarios: {
    spectators: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: RAMP_UP, target: SPECTATORS },
        { duration: HOLD, target: SPECTATORS },
      ],
      gracefulRampDown: `${SESSION_SECONDS + 10}s`,
      gracefulStop: `${SESSION_SECONDS + 10}s`,
    },
  },
  thresholds: {
    // Summaries come every 5 s: a gap much longer means the gateway is falling behind on spectators
    sectorwars_summary_gap_ms: ['p(95)<6000'],
    sectorwars_summaries: ['count>0'],
    sectorwars_server_errors: ['count<10'],
    ws_connecting: ['p(95)<1000'],
    checks: ['rate>0.99'],
  },
};

const summaries = new Counter('sectorwars_summaries');
/** Real time between two Summaries on one connection. */
const summaryGap = new Trend('sectorwars_summary_gap_ms', true);
/** Size of every server frame, tagged by message kind. */
const messageBytes = new Trend('sectorwars_message_bytes');
const serverErrors = new Counter('sectorwars_server_errors');
const malformedFrames = new Counter('sectorwars_malformed_frames');
const closes = new Counter('sectorwars_closes');

export default function spectate(): void {
  if (__VU > tokens.length) fail(`VU ${__VU} has no token: ${__ENV.TOKENS_FILE} holds ${tokens.length}, mint one per VU (SPECTATORS)`);
  const token = tokens[__VU - 1];
  let seq = 0;
  let nonce = 0;
  let welcomed = false;
  let spectatorWelcome = false;
  let lastSummaryAt = 0;
  let count = 0;
  let teamsSeen = 0;
  let turnsAdvance = true;
  let lastTurn = -1;
  const acks = new AckPacer();

  const res = ws.connect(`${GATEWAY_URL}/play`, { tags: { scenario_kind: 'spectator' } }, (socket) => {
    let closing = false;
    const send = (body: ClientBody): boolean => {
      if (closing) return false;
      socket.sendBinary(toArrayBuffer(encodeClientMessage(++seq, body)));
      return true;
    };

    socket.on('open', () => {
      send({ kind: 'hello', token });
      send({
        kind: 'join',
        join: { battleId: BATTLE_ID, spectator: true, mode: MODE, followPlayer: FOLLOW_PLAYER || undefined, followUnit: FOLLOW_UNIT || undefined },
      });
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
          welcomed = true;
          spectatorWelcome = msg.spectator;
          break;
        case 'summary': {
          const now = Date.now();
          if (lastSummaryAt > 0) summaryGap.add(now - lastSummaryAt);
          lastSummaryAt = now;
          count++;
          summaries.add(1);
          teamsSeen = Math.max(teamsSeen, msg.unitsPerTeam.length);
          if (lastTurn >= 0 && msg.turn < lastTurn) turnsAdvance = false;
          lastTurn = msg.turn;
          break;
        }
        case 'snapshot':
        case 'delta':
          // paid spectator tiers may get turn updates: acknowledge them like a client would (after a snapshot, then once a second)
          if (acks.due(msg.kind)) send({ kind: 'ack', turn: msg.turn });
          break;
        case 'error':
          serverErrors.add(1, { code: msg.code });
          break;
        default:
          break;
      }
    });

    socket.setInterval(() => send({ kind: 'ping', nonce: ++nonce, clientTimeMs: Date.now() }), 5000);
    socket.on('close', (code: number) => closes.add(1, { code: String(code) }));
    socket.on('error', (e) => serverErrors.add(1, { code: 'SOCKET_ERROR', error: e.error() }));
    socket.setTimeout(() => {
      closing = true;
      socket.close(1000);
    }, SESSION_SECONDS * 1000);
  });

  check(res, { 'websocket upgrade (101)': (r) => r !== null && r.status === 101 });
  check(null, {
    'welcome received': () => welcomed,
    'welcome marks a spectator': () => spectatorWelcome,
    'summaries received': () => SESSION_SECONDS < 6 || count > 0,
    'summaries describe teams': () => count === 0 || teamsSeen > 0,
    'summary turns never go back': () => turnsAdvance,
  });
  sleep(1);
}
