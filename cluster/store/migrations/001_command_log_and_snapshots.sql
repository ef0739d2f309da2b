-- 001: the command log, snapshots and fencing (docs/persistence.md).

-- The newest fencing token that has written for each sector: a write with an older token is refused.
CREATE TABLE sector_fences (
  sector_id text PRIMARY KEY,
  token bigint NOT NULL
);

-- The command log: every order a sector applied, in order, per turn. Hash-partitioned by sector (seeds).
CREATE TABLE player_command_queue (
  sector_id text NOT NULL,
  turn_number integer NOT NULL,
  command_sequence integer NOT NULL,
  player_id text NOT NULL,
  command_id text NOT NULL,
  command_data jsonb NOT NULL,
  fencing_token bigint NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sector_id, turn_number, command_sequence)
) PARTITION BY HASH (sector_id);
CREATE TABLE player_command_queue_p0 PARTITION OF player_command_queue FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE player_command_queue_p1 PARTITION OF player_command_queue FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE player_command_queue_p2 PARTITION OF player_command_queue FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE player_command_queue_p3 PARTITION OF player_command_queue FOR VALUES WITH (MODULUS 4, REMAINDER 3);

-- Snapshots: the whole battle (actors/sector/snapshot.ts, gzip) with its state hash, to verify before use.
CREATE TABLE battle_states (
  sector_id text NOT NULL,
  turn_number integer NOT NULL,
  compressed_state bytea NOT NULL,
  state_hash char(16) NOT NULL,
  fencing_token bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sector_id, turn_number)
);
