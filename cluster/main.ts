// `npm start`: one node running a demo battle in real time through the actor hierarchy, with
// scripted bot commanders, time dilation and a live view in the terminal.
//
//   npm start -- [--teams 4] [--units 1600] [--seconds 120] [--tps 10] [--seed N]

import { parseArgs } from 'node:util';
import { createActorSystem } from '../actors/runtime.js';
import { isDecided, leadingTeam, unitsPerTeam } from '../actors/sector/battle.js';
import { InMemoryCommandLog } from '../actors/sector/command-log.js';
import { SectorLoop } from '../actors/sector/loop.js';
import { generateSetup } from '../actors/sector/scenario.js';
import { spawnSector, type PublishedTurn, type SectorMsg } from '../actors/sector/sector-actor.js';
import { createBattle } from '../actors/sector/setup.js';
import { classifyBattle, chaosLevel } from '../actors/model/scale.js';
import { EventKind } from '../actors/unit/enums.js';
import { botOrders } from './demo-bots.js';
import { log } from './log.js';

const { values } = parseArgs({
  options: {
    teams: { type: 'string', default: '4' }, units: { type: 'string', default: '1600' }, seconds: { type: 'string', default: '120' },
    tps: { type: 'string', default: '10' }, seed: { type: 'string', default: String(Date.now() % 100000) },
  },
});
const teams = Number(values.teams), units = Number(values.units), tps = Number(values.tps), seed = Number(values.seed);
const seconds = Number(values.seconds);

const setup = generateSetup({ teams, units, seed, turnsPerSecond: tps, independents: 2, waves: { everySeconds: 20, baseUnits: 30, growth: 0.5 }, deploySeconds: 5 });
const battle = createBattle(setup);
const system = createActorSystem('demo', (actor, err) => log.error({ actor, err }, 'actor handler failed'));
const commandLog = new InMemoryCommandLog();
const sector = spawnSector(system, battle, commandLog);
const players = battle.roster.players.length;
log.info({ battleId: setup.battleId, seed, teams, units, players, scale: classifyBattle(players, battle.world.liveCount) }, 'demo battle starting');
process.stdout.write(`SectorWars demo: ${setup.battleId} (seed ${seed}), ${teams} teams + 2 independents, ${battle.world.liveCount} units, ` +
  `${players} players, ${classifyBattle(players, battle.world.liveCount)}, chaos ${chaosLevel(players)}. Ctrl-C stops.\n`);

const destroyed = new Int32Array(64);
const notes: string[] = [];
let lastPrint = 0;
const started = Date.now();

function render(t: PublishedTurn, cost: number): void {
  const counts = unitsPerTeam(battle);
  const cols = battle.roster.teams.map((team, i) => `${team.name.slice(0, 8)}:${counts[i]}`).join(' ');
  process.stdout.write(`t=${String(t.turn).padStart(5)} game ${(t.turn / tps).toFixed(1)}s  dilation ${t.dilation.toFixed(2)}  turn ${cost.toFixed(1)}ms  ${cols}  hash ${t.hash}\n`);
  for (const n of notes.splice(0)) process.stdout.write(`        ${n}\n`);
}

const loop = new SectorLoop(system, sector, tps, undefined, {}, (t, cost) => {
  for (let i = 0; i < t.kernelEvents.length; i += 4) if (t.kernelEvents[i] === EventKind.DESTROYED) destroyed[0]++;
  for (const e of t.events) {
    if (e.type === 'joined') notes.push(`${e.player} warps in with ${e.team} (${e.units.length} units, fee ${e.fee})`);
    else if (e.type === 'betrayal') notes.push(`BETRAYAL: ${e.by} breaks its truce with ${e.against} (reputation ${e.reputation})`);
    else if (e.type === 'relation_changed') notes.push(`${e.teams.join(' & ')} now ${e.relation}`);
    else if (e.type === 'retreat_ordered') notes.push(`${e.player} retreats: ${e.mode}`);
    else if (e.type === 'wave_arrived') notes.push(`reinforcement wave ${e.wave} for ${e.team}: ${e.units} units`);
  }
  for (const r of t.results) if (!r.ok) notes.push(`order ${r.id} from ${r.player} rejected: ${r.reason}`);
  // bots decide the next turn's orders from what they see now
  for (const command of botOrders(battle, setup, t.turn + 1)) system.tell<SectorMsg>(sector, { type: 'submit', command });
  const now = Date.now();
  if (now - lastPrint >= 1000) { lastPrint = now; render(t, cost); }
  return isDecided(battle) || now - started > seconds * 1000;
});

function finish(): void {
  const w = battle.world;
  const winner = battle.roster.teams[leadingTeam(battle)].name;
  process.stdout.write(`\nBattle over after ${w.turn} turns (${(w.turn / tps).toFixed(1)} s game time). ${isDecided(battle) ? 'Winner' : 'Leading'}: ${winner}\n`);
  battle.roster.teams.forEach((t, i) => process.stdout.write(`  ${t.name.padEnd(14)} lost ${String(w.stats.lost[i]).padStart(5)} units, ${w.stats.lostValue[i]} credits; crews saved ${w.stats.crewSaved[i]}, retreated ${w.stats.retreated[i]}, reputation ${t.reputation}\n`));
  process.stdout.write(`  command log: ${commandLog.entries().length} turns with orders\n`);
  system.shutdown();
}

process.on('SIGINT', () => void loop.stop());
loop.start().then(finish, (err) => { log.error({ err }, 'sector loop failed'); process.exitCode = 1; system.shutdown(); });
