-- Corral schema version 8: indexes for browsing the gate's decision log in the console.
-- The log holds a row for every file served, so filtering by outcome or rule, and counting
-- last week's objections per rule, must not walk the served rows: each filter gets an index
-- that ends in `at`, which also gives the newest-first order.
CREATE INDEX gate_decisions_outcome ON gate_decisions (outcome, at);
CREATE INDEX gate_decisions_rule ON gate_decisions (rule, at);
