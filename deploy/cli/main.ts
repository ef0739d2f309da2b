// sectorwars CLI. `sectorwars simulate --teams 4 --units 5000 --turns 200 --seed 7 [--json]`,
// `sectorwars token --player ID --tier TIER (--team NAME --role ROLE | --spectator)`.

import { parseArgs } from 'node:util';
import { simulate } from '../../actors/sector/simulate.js';
import { BattleSetupError } from '../../actors/model/reasons.js';
import { TokenService, claimsProblem, tokenSecretFromEnv, type SessionClaims } from '../../gateway/auth/tokens.js';
import { ProgressBar } from './progress.js';
import { CLUSTER_USAGE, runCluster } from '../cluster/command.js';

/** Longest token lifetime `sectorwars token` mints (30 days). */
const MAX_TTL_SECONDS = 30 * 24 * 3600;

const USAGE = `usage: sectorwars simulate [--teams N] [--units N] [--turns N] [--seed N] [--tps N] [--json] [--hashes]
       sectorwars token --player ID --tier TIER (--team NAME --role ROLE | --spectator) [--credits N] [--ttl SECONDS] [--battle ID]

simulate: run a battle as fast as possible
  --teams   teams in the battle, 2..8 (default 4)
  --units   total units, split evenly between teams (default 5000)
  --turns   turns to run at most; the battle stops early once decided (default 200)
  --seed    battle seed, an integer (default 7)
  --tps     turns per second of game time (default 10)
  --json    print one JSON object instead of a table
  --hashes  include every turn's state hash in the JSON output

token: print a signed session token (secret from SECTORWARS_TOKEN_SECRET, else the development secret)
  --player     player id, 1..64 characters
  --tier       bronze, silver or gold
  --team       team name (players; optional for spectators)
  --role       supreme_commander, admiral, captain or pilot (players; optional for spectators)
  --spectator  a spectator token (never commands)
  --credits    credits the player brings, a non-negative number
  --ttl        seconds until the token expires, 1..${MAX_TTL_SECONDS} (default 3600)
  --battle     restrict the token to this battle id`;

function intArg(v: string | undefined, name: string, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got ${v})`);
  return n;
}

class UsageError extends Error {}

function runSimulate(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      teams: { type: 'string' }, units: { type: 'string' }, turns: { type: 'string' }, seed: { type: 'string' }, tps: { type: 'string' },
      json: { type: 'boolean', default: false }, hashes: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const teams = intArg(values.teams, 'teams', 4, 2, 8);
  const units = intArg(values.units, 'units', 5000, teams, 1_000_000);
  const turns = intArg(values.turns, 'turns', 200, 1, 10_000_000);
  const seed = intArg(values.seed, 'seed', 7, 0, 0xffffffff);
  const tps = intArg(values.tps, 'tps', 10, 1, 60);
  const bar = new ProgressBar(turns, `simulating ${units} units`);
  const r = simulate({ teams, units, turns, seed, turnsPerSecond: tps, onProgress: turns >= 50 ? (t) => bar.update(t) : undefined });
  bar.finish();
  if (values.json) {
    const out: Record<string, unknown> = {
      battleId: r.battleId, winner: r.winner, decided: r.decided, turns: r.turns, finalStateHash: r.finalStateHash,
      turnMs: { p50: round(r.turnMs.p50), p99: round(r.turnMs.p99) }, losses: r.losses,
    };
    if (values.hashes) out.hashes = r.hashes;
    process.stdout.write(JSON.stringify(out) + '\n');
    return 0;
  }
  const lines = [
    `battle ${r.battleId}: ${teams} teams, ${units} units, ${r.turns} turns${r.decided ? ' (decided)' : ' (turn limit)'}`,
    `winner: ${r.winner}`,
    `turn time: p50 ${round(r.turnMs.p50)} ms, p99 ${round(r.turnMs.p99)} ms`,
    `final state hash: ${r.finalStateHash}`,
    '',
    'team        lost  credits lost  units left',
    ...Object.entries(r.losses).map(([t, l]) => `${t.padEnd(10)} ${String(l.units).padStart(5)}  ${String(l.credits).padStart(12)}  ${String(l.unitsLeft).padStart(10)}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

async function runToken(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      player: { type: 'string' }, team: { type: 'string' }, role: { type: 'string' }, tier: { type: 'string' },
      spectator: { type: 'boolean', default: false }, credits: { type: 'string' }, ttl: { type: 'string' }, battle: { type: 'string' },
    },
    strict: true,
  });
  if (values.player === undefined) throw new UsageError('token needs --player');
  if (values.tier === undefined) throw new UsageError('token needs --tier');
  const ttl = intArg(values.ttl, 'ttl', 3600, 1, MAX_TTL_SECONDS);
  const claims: Record<string, unknown> = { player: values.player, tier: values.tier, spectator: values.spectator };
  if (values.team !== undefined) claims.team = values.team;
  if (values.role !== undefined) claims.role = values.role;
  if (values.battle !== undefined) claims.battle = values.battle;
  if (values.credits !== undefined) {
    const credits = values.credits.trim() === '' ? Number.NaN : Number(values.credits);
    if (!Number.isFinite(credits) || credits < 0) throw new UsageError(`--credits must be a non-negative number (got ${values.credits})`);
    claims.credits = credits;
  }
  const problem = claimsProblem(claims);
  if (problem) throw new UsageError(problem.replace(/^(player|tier|team|role|battle)\b/, '--$1').replace('needs team and role', 'needs --team and --role (or --spectator)'));
  let secret: string;
  try {
    const fromEnv = tokenSecretFromEnv(process.env);
    secret = fromEnv.secret;
    if (fromEnv.development) {
      process.stderr.write('sectorwars: warning: SECTORWARS_TOKEN_SECRET is unset; signing with the development secret (only development gateways accept it)\n');
    }
  } catch (err) {
    process.stderr.write(`sectorwars: ${(err as Error).message}\n`);
    return 1;
  }
  const token = await new TokenService(secret).mint(claims as unknown as SessionClaims, ttl);
  process.stdout.write(token + '\n');
  return 0;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export function main(argv: string[]): number | Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === 'simulate') return runSimulate(rest);
    if (cmd === 'token') return runToken(rest).catch(usageFailure);
    if (cmd === 'cluster') return runCluster(rest).catch((err) => { process.stderr.write(`sectorwars cluster: ${(err as Error).message}\n${CLUSTER_USAGE}\n`); return (err as { usage?: boolean }).usage || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1; });
    if (cmd === undefined || cmd === 'help' || cmd === '--help') { process.stdout.write(USAGE + '\n'); return cmd === undefined ? 2 : 0; }
    throw new UsageError(`unknown command ${cmd}`);
  } catch (err) {
    return usageFailure(err);
  }
}

/** Bad arguments: the message and the usage on stderr, exit code 2. Anything else is rethrown. */
function usageFailure(err: unknown): number {
  if (err instanceof UsageError || err instanceof BattleSetupError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`sectorwars: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  throw err;
}

void Promise.resolve(main(process.argv.slice(2))).then((code) => {
  process.exitCode = code;
});
