-- 002: what background jobs produce (docs/persistence.md, "Jobs"). Every job's effects are written in the
-- same transaction as its row in job_runs, keyed by the job's idempotency key: a retried job applies once.

CREATE TABLE job_runs (
  job_key text PRIMARY KEY,
  kind text NOT NULL,
  result jsonb NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);

-- credits owed to or taken from each team by settlements
CREATE TABLE ledger (
  job_key text NOT NULL REFERENCES job_runs (job_key),
  account text NOT NULL,
  entry text NOT NULL, -- loss, salvage, insurance_premium, insurance_claim, capture_reward
  credits bigint NOT NULL
);
CREATE INDEX ledger_account ON ledger (account);

CREATE TABLE battle_chronicles (
  battle_id text PRIMARY KEY,
  chronicle jsonb NOT NULL
);

CREATE TABLE battle_records (
  name text PRIMARY KEY,
  value double precision NOT NULL,
  battle_id text NOT NULL
);

CREATE TABLE battle_archive (
  battle_id text PRIMARY KEY,
  log jsonb NOT NULL,
  archived_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE team_inventory (
  team text PRIMARY KEY,
  drones bigint NOT NULL DEFAULT 0
);
