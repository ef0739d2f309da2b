// Fog of war over real sockets: in a long four-team battle, no client is ever sent a hostile unit that
// its team's sensors do not cover (checked exactly, unit by unit, against the turn's frame), while the
// clients do see enemies once the fleets meet, and what each client holds equals what the server
// believes it holds. A client joining mid-battle (a snapshot) is held to the same rule, and free
// spectators get summaries only, never per-turn updates.

import { afterEach, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../gateway/local.js';
import { entriesOf, type GameClient } from '../gateway/client/game-client.js';
import { inSensorRange } from '../gateway/interest/visibility.js';
import { generateSetup, openingOrders } from '../actors/sector/scenario.js';
import { Relation } from '../actors/unit/enums.js';
import { HAND_TICKED, frameIndex, joinedClient, spectatorClient, startTestCluster, turns } from './gateway-helpers.js';

let cluster: LocalCluster | undefined;
const clients: GameClient[] = [];
afterEach(async () => {
  for (const cl of clients.splice(0)) cl.close();
  await cluster?.stop();
  cluster = undefined;
});

interface Watched { client: GameClient; team: number; sessionId: string; hostileSeen: Set<number>; checkedTurns: number }

/** Every unit the client holds exists this turn, and every non-allied foreign one is inside its team's sensors. */
function checkFog(c: LocalCluster, w: Watched): void {
  const f = c.link.latest()!;
  expect(w.client.turn, 'the client applied this turn').toBe(f.turn);
  const index = frameIndex(f);
  const leaks: string[] = [];
  for (const [id, u] of w.client.units()) {
    const i = index.get(id);
    if (i === undefined) { leaks.push(`unit ${id} is not in the frame of turn ${f.turn}`); continue; }
    const team = f.team[i];
    expect(u.team, `unit ${id}'s team as sent`).toBe(team);
    if (team === w.team || f.relations[w.team * f.teamCount + team] === Relation.ALLIED) continue;
    w.hostileSeen.add(id);
    if (!inSensorRange(f, w.team, i)) leaks.push(`turn ${f.turn}: hostile unit ${id} (team ${team}) at (${f.x[i].toFixed(0)}, ${f.y[i].toFixed(0)}) is outside team ${w.team}'s sensors`);
  }
  expect(leaks, `fog leaks for team ${w.team}`).toEqual([]);
  expect(entriesOf(w.client.units())).toEqual(c.gateway.serverView(w.sessionId));
  w.checkedTurns++;
}

describe('gateway fog of war', () => {
  it('never sends a hostile unit outside the team\'s sensor coverage, turn after turn, to players joined early or late', async () => {
    const setup = generateSetup({ teams: 4, units: 1600, seed: 21 });
    cluster = await startTestCluster({ gateway: { ...HAND_TICKED, spectatorEveryTurns: 25, spectatorDelayTurns: 50 } }, setup);
    const c = cluster;
    await turns(c, 1);
    // every team attack-moves on the centre, so the fleets meet within ~80 turns
    for (const o of openingOrders(setup, c.battle.world.width, c.battle.world.height)) expect((await c.link.submit(o)).queued).toBe(true);
    const r = c.battle.roster;
    const pilotOf = (team: number) => r.players.find((p) => p.role === 'pilot' && p.team === team)!;
    const watched: Watched[] = [];
    const watch = async (player: string) => {
      const client = await joinedClient(c, player, { tier: 'gold' });
      clients.push(client);
      const p = r.players.find((x) => x.id === player)!;
      await client.waitFor(() => client.updates.length > 0, 5000, 'first snapshot');
      expect(client.updates[0].snapshot).toBe(true);
      const w: Watched = { client, team: p.team, sessionId: client.welcome!.sessionId as string, hostileSeen: new Set(), checkedTurns: 0 };
      watched.push(w);
      return w;
    };
    await watch(pilotOf(0).id);
    await watch(pilotOf(1).id);
    const spectator = await spectatorClient(c, 'fan-1');
    clients.push(spectator);

    let late: Watched | undefined;
    for (let t = 0; t < 200; t++) {
      await turns(c, 1, watched.map((w) => w.client));
      if (t === 110) {
        // mid-battle, fleets in contact: a commander of a third team joins and starts from a snapshot
        late = await watch(r.players.find((p) => p.role === 'supreme_commander' && p.team === 2)!.id);
        await late.client.waitFor(() => late!.client.turn === c.link.latest()!.turn, 5000, 'late snapshot');
        expect(late.client.updates[0].snapshot).toBe(true);
      }
      for (const w of watched) checkFog(c, w);
    }

    for (const w of watched) {
      expect(w.client.desync).toBe(0);
      expect(w.client.closed).toBeNull();
      expect(w.client.updates.filter((u) => u.snapshot)).toHaveLength(1);
      // not vacuous: each team really saw enemies
      expect(w.hostileSeen.size, `hostiles seen by team ${w.team}`).toBeGreaterThan(10);
    }
    expect(watched[0].checkedTurns).toBe(200);
    expect(late!.checkedTurns).toBeGreaterThan(80);
    // the battle really went on: units were lost on every side
    expect(Array.from(c.link.latest()!.lost).every((n) => n > 0)).toBe(true);

    // a free spectator: summaries every 25 turns, never a snapshot, delta or per-turn event
    expect(spectator.updates).toEqual([]);
    expect(spectator.events).toEqual([]);
    expect(spectator.cells.size).toBe(0);
    expect(spectator.summaries.length).toBeGreaterThanOrEqual(5);
    expect(spectator.welcome!.spectator).toBe(true);
  });
});
