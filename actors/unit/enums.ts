// Small integer codes stored in the kernel's typed arrays. Names are for logs, docs and the wire.

export const Stance = { AGGRESSIVE: 0, BALANCED: 1, DEFENSIVE: 2 } as const;
export type Stance = (typeof Stance)[keyof typeof Stance];
export const STANCE_NAMES = ['aggressive', 'balanced', 'defensive'] as const;

export const Order = { IDLE: 0, MOVE: 1, ATTACK_MOVE: 2, ATTACK: 3, HOLD: 4, REGROUP: 5, WITHDRAW: 6, ESCAPE: 7 } as const;
export type Order = (typeof Order)[keyof typeof Order];

export const Relation = { HOSTILE: 0, ALLIED: 1, TRUCE: 2 } as const;
export type Relation = (typeof Relation)[keyof typeof Relation];
export const RELATION_NAMES = ['hostile', 'allied', 'truce'] as const;

/** Kernel event kinds; each event is four int32 words: kind, a, b, c (meaning per kind below). */
export const EventKind = {
  DAMAGED: 1, // a = unit id, b = attacker id, c = damage
  DESTROYED: 2, // a = unit id, b = killer id (-1 none), c = cause (DestroyCause)
  POD_LAUNCHED: 3, // a = pod id, b = ship id, c = team
  POD_ESCAPED: 4, // a = pod id, b = team, c = 0
  RETREATED: 5, // a = unit id, b = team, c = 0 (unit left the battle by fighting withdrawal)
  DRONE_LAUNCHED: 6, // a = drone id, b = carrier id, c = team
  DEPLOYED: 7, // a = unit id, b = team, c = 0 (deployment phase over, unit active)
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

export const DestroyCause = { COMBAT: 0, ABANDONED: 1, SCUTTLED: 2 } as const;
export type DestroyCause = (typeof DestroyCause)[keyof typeof DestroyCause];
