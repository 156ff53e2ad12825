--[[ rqwatch test harness: deterministic scores.
"X-Test-Score: N" in the message adds symbol RQWATCH_TEST_SCORE with weight N
(symbol score 1.0), so tests can force reject (>= 15) / add header (>= 6) with a
real score. Unlike GTUBE the message still passes metadata_exporter. ]]--
rspamd_config:register_symbol({
  name = 'RQWATCH_TEST_SCORE',
  type = 'normal',
  score = 1.0,
  group = 'rqwatch_test',
  description = 'rqwatch tests: score from X-Test-Score header',
  flags = 'one_shot',
  callback = function(task)
    local h = task:get_header('X-Test-Score')
    local n = h and tonumber((h:gsub('%s', '')))
    if n then
      task:insert_result('RQWATCH_TEST_SCORE', n, tostring(n))
    end
    -- no "return true": it would insert the symbol a second time
  end,
})
