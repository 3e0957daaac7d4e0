-- GET the newest page of the seeded user's tasks.
dofile(os.getenv("BENCH_DIR") .. "/common.lua")
wrk.method = "GET"
wrk.path = "/api/" .. user_id .. "/tasks?status=all&limit=50"
