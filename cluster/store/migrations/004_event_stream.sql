-- 004: the battle event stream (seeds: range-partitioned by time) and per-turn sector summaries.

CREATE TABLE battle_event_stream (
  event_id bigserial,
  sector_id text NOT NULL,
  turn_number integer NOT NULL,
  event_type varchar(50) NOT NULL,
  affected_players text[] NOT NULL DEFAULT '{}',
  event_data jsonb NOT NULL,
  fencing_token bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, created_at)
) PARTITION BY RANGE (created_at);
-- a default partition takes every time range; operators add monthly ones (and archive old ones) as data grows
CREATE TABLE battle_event_stream_default PARTITION OF battle_event_stream DEFAULT;
CREATE INDEX battle_event_stream_sector ON battle_event_stream (sector_id, turn_number);

CREATE TABLE sector_battle_states (
  sector_id text NOT NULL,
  battle_id text NOT NULL,
  turn_number integer NOT NULL,
  participant_count integer NOT NULL,
  unit_count integer NOT NULL,
  state_data jsonb NOT NULL,
  processing_time_ms integer NOT NULL,
  PRIMARY KEY (sector_id, battle_id, turn_number)
) PARTITION BY HASH (sector_id);
CREATE TABLE sector_battle_states_p0 PARTITION OF sector_battle_states FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE sector_battle_states_p1 PARTITION OF sector_battle_states FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE sector_battle_states_p2 PARTITION OF sector_battle_states FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE sector_battle_states_p3 PARTITION OF sector_battle_states FOR VALUES WITH (MODULUS 4, REMAINDER 3);
