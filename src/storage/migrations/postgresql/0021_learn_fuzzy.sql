-- Learning also trains Rspamd's fuzzy storage where configured
-- (app/fuzzy_training.hpp): each learn records that next to the Bayes result.
--   fuzzy: "ok", "failed" or "skipped" (fuzzy learning off, or Bayes failed;
--   also every learn from before this migration); fuzzy_result: what happened.
ALTER TABLE mail_learns ADD COLUMN fuzzy VARCHAR(8) NOT NULL DEFAULT 'skipped';
ALTER TABLE mail_learns ADD COLUMN fuzzy_result VARCHAR(512) NOT NULL DEFAULT '';
