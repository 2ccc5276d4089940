-- wrk script: authenticated GET of the path given by OGI_PATH.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("OGI_TOKEN")
wrk.path = os.getenv("OGI_PATH")
