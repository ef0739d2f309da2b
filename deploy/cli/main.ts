// sectorwars CLI. `sectorwars simulate --teams 4 --units 5000 --turns 200 --seed 7 [--json]`.

import { parseArgs } from 'node:util';
import { simulate } from '../../actors/sector/simulate.js';
import { BattleSetupError } from '../../actors/model/reasons.js';
import { ProgressBar } from './progress.js';

const USAGE = `usage: sectorwars simulate [--teams N] [--units N] [--turns N] [--seed N] [--tps N] [--json] [--hashes]

  --teams   teams in the battle, 2..8 (default 4)
  --units   total units, split evenly between teams (default 5000)
  --turns   turns to run at most; the battle stops early once decided (default 200)
  --seed    battle seed, an integer (default 7)
  --tps     turns per second of game time (default 10)
  --json    print one JSON object instead of a table
  --hashes  include every turn's state hash in the JSON output`;

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

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export function main(argv: string[]): number {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === 'simulate') return runSimulate(rest);
    if (cmd === undefined || cmd === 'help' || cmd === '--help') { process.stdout.write(USAGE + '\n'); return cmd === undefined ? 2 : 0; }
    throw new UsageError(`unknown command ${cmd}`);
  } catch (err) {
    if (err instanceof UsageError || err instanceof BattleSetupError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`sectorwars: ${(err as Error).message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
}

process.exitCode = main(process.argv.slice(2));
