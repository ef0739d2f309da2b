// The world's background jobs, as pure functions from a job's input to the effects it must apply once:
// settlement (the seeds' unit economics), chronicles, archiving and drone-factory production.

export interface TeamResult {
  name: string;
  insured: boolean;
  fleetValue: number; // credits of the fleet at the start (insurance premium base)
  lostValue: number; // credits destroyed
  killedValue: number; // credits of hostile units this team destroyed in combat (salvage base)
}

export interface BattleSummary {
  battleId: string;
  winner: string;
  turns: number;
  units: number;
  teams: TeamResult[];
  /** Remaining fleet value per team, sampled through the battle (for decisive moments). */
  timeline: { turn: number; values: number[] }[];
}

export interface LedgerEntry { account: string; entry: 'loss' | 'salvage' | 'insurance_premium' | 'insurance_claim' | 'capture_reward'; credits: number }

/** Seeds: salvage 10–25% of destroyed value (25% for the victor), insurance premium 2% of fleet value with half the
 * losses paid back, sector capture 10,000–100,000 credits (10% of everything destroyed, within those bounds). */
export function settle(s: BattleSummary): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  const destroyed = s.teams.reduce((n, t) => n + t.lostValue, 0);
  for (const t of s.teams) {
    if (t.lostValue > 0) out.push({ account: t.name, entry: 'loss', credits: -Math.round(t.lostValue) });
    if (t.killedValue > 0) out.push({ account: t.name, entry: 'salvage', credits: Math.round(t.killedValue * (t.name === s.winner ? 0.25 : 0.1)) });
    if (t.insured) {
      out.push({ account: t.name, entry: 'insurance_premium', credits: -Math.round(t.fleetValue * 0.02) });
      if (t.lostValue > 0) out.push({ account: t.name, entry: 'insurance_claim', credits: Math.round(t.lostValue * 0.5) });
    }
  }
  out.push({ account: s.winner, entry: 'capture_reward', credits: Math.round(Math.min(100_000, Math.max(10_000, destroyed * 0.1))) });
  return out;
}

export interface Chronicle {
  battleId: string;
  participants: string[];
  winner: string;
  turns: number;
  decisiveMoments: { turn: number; leader: string; previous: string }[];
  topPerformers: { team: string; killedValue: number }[];
  recordsBroken: { name: string; value: number; previous: number }[];
}

/** Decisive moments are the turns where the lead (most fleet value left) changed hands. */
export function chronicle(s: BattleSummary, records: Map<string, number>): Chronicle {
  const moments: Chronicle['decisiveMoments'] = [];
  let leader = -1;
  for (const p of s.timeline) {
    let best = 0;
    for (let i = 1; i < p.values.length; i++) if (p.values[i] > p.values[best]) best = i;
    if (leader >= 0 && best !== leader) moments.push({ turn: p.turn, leader: s.teams[best].name, previous: s.teams[leader].name });
    leader = best;
  }
  const candidates: [string, number][] = [['largest_battle_units', s.units], ['longest_battle_turns', s.turns], ['most_value_destroyed', s.teams.reduce((n, t) => n + t.lostValue, 0)]];
  return {
    battleId: s.battleId,
    participants: s.teams.map((t) => t.name),
    winner: s.winner,
    turns: s.turns,
    decisiveMoments: moments,
    topPerformers: [...s.teams].sort((a, b) => b.killedValue - a.killedValue).slice(0, 3).map((t) => ({ team: t.name, killedValue: t.killedValue })),
    recordsBroken: candidates.filter(([name, v]) => v > (records.get(name) ?? 0)).map(([name, value]) => ({ name, value, previous: records.get(name) ?? 0 })),
  };
}

/** Seeds: a drone factory produces 50 drones an hour. */
export const DRONES_PER_FACTORY_HOUR = 50;

/** Seeds: reinforcement waves every 5 minutes, each a bigger commitment than the last. */
export const WAVE_EVERY_MS = 5 * 60 * 1000;
export function waveSize(wave: number, base: number, growth = 0.5): number {
  return Math.round(base * (1 + growth * (wave - 1)));
}
