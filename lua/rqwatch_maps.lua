--[[
rqwatch combined and personal maps for Rspamd 3.4 and later.

A combined map holds "sender|recipient" lines (or "ip|recipient"); a
personal map is the same, owned by users. Each pair is checked per SMTP
recipient. A hit must not speak for the other recipients of the message:
an allow entry of one recipient would otherwise whitelist the mail for all
of them. So:

  * RQWATCH_<MAP> (the map's score) fires only when EVERY recipient has a
    matching pair; its options are the pairs that matched;
  * RQWATCH_<MAP>_PARTIAL (score 0, informational) fires when only some
    did; its options name the recipients that matched.

(Rspamd gives one verdict per message; a per-recipient verdict needs the
MTA to split the message, which this module cannot do. Administrators who
want a block entry to act on a partial match can give _PARTIAL a score.)

Configuration, as printed by `rqwatch maps rspamd-config` (rspamd.conf.local
or local.d/rqwatch_maps.conf included at top level):

  rqwatch_maps {
    maps = [
      { name = "smtp_from_rcpt_block"; url = "http://127.0.0.1:8480/maps/smtp_from_rcpt_block.txt";
        field = "smtp_from"; score = 1000.0; },
    ];
  }
  lua = "/usr/share/rqwatch/lua/rqwatch_maps.lua";
]]

local rspamd_logger = require "rspamd_logger"
local N = 'rqwatch_maps'

local opts = rspamd_config:get_all_opt(N)
if not opts or type(opts.maps) ~= 'table' then
  rspamd_logger.infox(rspamd_config, '%s: no maps configured', N)
  return
end

local function trim_lower(s)
  if not s then return nil end
  s = s:gsub('^%s+', ''):gsub('%s+$', '')
  if s == '' then return nil end
  return s:lower()
end

-- The left-hand values of the pairs: SMTP or MIME sender addresses, or the
-- sending IP with every range of it that the map holds ("192.0.2.0/24";
-- rqwatch writes addresses and ranges in the spelling Rspamd prints, host
-- bits cleared, so an exact key finds them). `lens` lists the prefix
-- lengths present per family.
local function senders(task, field, lens)
  local out = {}
  if field == 'ip' then
    local ip = task:get_from_ip()
    if ip and ip:is_valid() then
      table.insert(out, ip:to_string())
      for len in pairs(ip:get_version() == 6 and lens.v6 or lens.v4) do
        table.insert(out, ip:apply_mask(len):to_string() .. '/' .. len)
      end
    end
    return out
  end
  local kind = field == 'mime_from' and 'mime' or 'smtp'
  local from = task:get_from(kind)
  if from then
    for _, a in ipairs(from) do
      local v = trim_lower(a.addr)
      if v then table.insert(out, v) end
    end
  end
  return out
end

local function recipients(task)
  local rcpts = task:get_recipients('smtp') or task:get_recipients('mime') or {}
  local out, seen = {}, {}
  for _, r in ipairs(rcpts) do
    local v = trim_lower(r.addr)
    if v and not seen[v] then
      seen[v] = true
      table.insert(out, v)
    end
  end
  return out
end

local function register(m)
  if type(m.name) ~= 'string' or type(m.url) ~= 'string' then
    rspamd_logger.errx(rspamd_config, '%s: a map needs name and url', N)
    return
  end
  local symbol = m.symbol or ('RQWATCH_' .. m.name:upper():gsub('[^%w]', '_'))
  local field = m.field or 'smtp_from'
  -- IP pairs need the prefix lengths of their ranges, so that map is read
  -- by a callback of ours; address pairs are a plain set.
  local lens = { v4 = {}, v6 = {} }
  local pairs_seen = {}
  local map
  if field == 'ip' then
    map = rspamd_config:add_map({
      type = 'callback',
      url = m.url,
      description = 'rqwatch map ' .. m.name,
      callback = function(data)
        local set, l = {}, { v4 = {}, v6 = {} }
        for line in tostring(data):gmatch('[^\r\n]+') do
          line = line:gsub('#.*$', ''):gsub('^%s+', ''):gsub('%s+$', '')
          if line ~= '' then
            set[line] = true
            local net, len = line:match('^([^|/]+)/(%d+)|')
            if net then l[net:find(':', 1, true) and 'v6' or 'v4'][tonumber(len)] = true end
          end
        end
        pairs_seen, lens = set, l
      end,
    })
  else
    map = rspamd_config:add_map({
      type = 'set',
      url = m.url,
      description = 'rqwatch map ' .. m.name,
    })
  end
  if not map then
    rspamd_logger.errx(rspamd_config, '%s: cannot add map %s', N, m.url)
    return
  end
  local function has(key)
    if field == 'ip' then return pairs_seen[key] end
    return map:get_key(key)
  end

  local function callback(task)
    local rcpts = recipients(task)
    if #rcpts == 0 then return end
    local from = senders(task, field, lens)
    if #from == 0 then return end
    local hits, matched = {}, {}
    for _, r in ipairs(rcpts) do
      for _, f in ipairs(from) do
        local key = f .. '|' .. r
        if has(key) then
          table.insert(hits, key)
          table.insert(matched, r)
          break
        end
      end
    end
    if #matched == 0 then return end
    if #matched == #rcpts then
      task:insert_result(symbol, 1.0, hits)
    else
      task:insert_result(symbol .. '_PARTIAL', 1.0, matched)
    end
  end

  local id = rspamd_config:register_symbol({
    name = symbol,
    type = 'normal',
    callback = callback,
    priority = 10,
    score = tonumber(m.score) or 0.0,
    group = 'rqwatch',
    one_shot = true,
    description = 'rqwatch map ' .. m.name .. ': every recipient matched',
  })
  rspamd_config:register_symbol({
    name = symbol .. '_PARTIAL',
    type = 'virtual',
    parent = id,
    score = 0.0,
    group = 'rqwatch',
    one_shot = true,
    description = 'rqwatch map ' .. m.name .. ': only some recipients matched',
  })
end

for _, m in ipairs(opts.maps) do register(m) end
