// Port for overflow: some teams' intake (chain-of-command checks and squadron planning) runs on other
// nodes. The sector stays the one authority that resolves turns; intake is a pure function of the state
// at the start of the turn, so wherever it runs the verdicts, plans and hashes are the same.

import type { Command } from '../model/commands.js';
import type { IntakeItem, IntakeResult } from '../team/team-actor.js';

export interface TeamOffload {
  /** True while `team`'s actors run elsewhere. */
  hosts(team: number): boolean;
  /**
   * Called once every turn (also with nothing to ask, so the other nodes follow the battle). Resolves with
   * the results of the teams it could serve; a team missing from the answer is handled locally.
   */
  intake(turn: number, byTeam: ReadonlyMap<number, IntakeItem[]>): Promise<ReadonlyMap<number, IntakeResult[]>>;
  /** The turn as resolved: its orders in log order and the state hash after it. */
  resolved(turn: number, commands: readonly Command[], hash: string): void;
}
