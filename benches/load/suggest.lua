-- wrk script: POST /api/v1/suggest with a rotating set of resident messages.
-- The API key comes from the environment (VRAAGBAAK_KEY), set by suggest.sh.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("VRAAGBAAK_KEY")
local messages = {
  "wanneer wordt het grofvuil opgehaald?",
  "mijn paspoort is verlopen wat nu",
  "de lantaarnpaal brandt niet",
  "mn kliko is ff niet geleegd",
  "hoe vraag ik een parkeervergunning aan",
  "ik wil een dakkapel bouwen heb ik een vergunning nodig",
  "kan ik iemand spreken",
}
local i = 0
request = function()
  i = i + 1
  local body = '{"message": "' .. messages[(i % #messages) + 1] .. '", "k": 3}'
  return wrk.format(nil, "/api/v1/suggest", nil, body)
end
response = function(status)
  if status ~= 200 then
    print("unexpected status " .. status)
  end
end
