-- 005: reinforcement waves sent from a team's home base into contested sectors, drawn from its drone inventory.
CREATE TABLE reinforcements (
  job_key text PRIMARY KEY REFERENCES job_runs (job_key),
  team text NOT NULL,
  sector_id text NOT NULL,
  wave integer NOT NULL,
  requested integer NOT NULL,
  sent integer NOT NULL
);
