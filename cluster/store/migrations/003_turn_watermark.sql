-- 003: the last turn a sector is known to have played, so recovery can replay its trailing turns without orders
-- (the kernel is deterministic) and resume where the dead owner stopped, not at its last logged order.
ALTER TABLE sector_fences ADD COLUMN last_turn integer NOT NULL DEFAULT 0;
