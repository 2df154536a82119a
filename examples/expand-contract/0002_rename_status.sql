-- stepwise:expand-contract
-- Release 2 calls the column fulfillment_status. `stepwise up` expands (both names work, kept equal by sync
-- triggers, existing rows backfilled); `stepwise complete` contracts once release 1 is gone.
ALTER TABLE orders RENAME COLUMN status TO fulfillment_status;
