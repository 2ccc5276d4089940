-- wrk script: GET one of the paths listed (one per line) in the file named by OGI_PATHS, in turn,
-- with the session cookie (pages) or bearer token (API) from OGI_TOKEN.
local paths = {}
for line in io.lines(os.getenv("OGI_PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], {["Cookie"] = "ogi_session=" .. os.getenv("OGI_TOKEN")})
end
