#!/usr/bin/env bash
# Reproduces the figures of docs/BENCHMARKS.md on this machine. It builds
# ehrbridge and starts the EHR simulator as its own process and a development
# server on a scratch database. Then it points the Athena system at the
# simulator and runs each `ehrbridge bench` scenario and the pgbench ceilings.
#
# Usage: docs/benchmarks/run.sh [seconds per scenario, default 30]
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust), Redis on
# 127.0.0.1:6379, pgbench, curl and jq. Creates the database
# ehrbridge_bench and the Redis keys ehrbridge-bench:*, and removes both at
# the end. The e2e scenario always sends 20,000 patients.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds="${1:-30}"
work="$(mktemp -d)"
server_port=3401
sim_port=3402
url="http://127.0.0.1:${server_port}"
export DB_NAME=ehrbridge_bench PORT=$server_port CACHE_PREFIX=ehrbridge-bench: \
  RATE_LIMIT_PER_IP=0 RATE_LIMIT_PER_KEY=0 LOG_LEVEL=warn \
  QUEUE_CONCURRENCY="${QUEUE_CONCURRENCY:-20}"

pids=()
cleanup() {
  status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$status" != 0 ]; then
    echo "failed; last lines of the server and simulator logs:" >&2
    tail -n 20 "$work"/*.log >&2 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# wait_healthy waits up to 30 s for a healthy response from /health.
wait_healthy() {
  for _ in $(seq 1 3000); do
    if curl -sf "$url/health" >/dev/null 2>&1; then return 0; fi
    sleep 0.01
  done
  echo "no healthy server on $url after 30 s" >&2
  return 1
}

if curl -s "$url/health" >/dev/null 2>&1; then
  echo "a server is already listening on $url; stop it first" >&2
  exit 1
fi

go build -o "$work/ehrbridge" .
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ehrbridge_bench" >/dev/null
"$work/ehrbridge" migrate >/dev/null

echo "== cold start (migrated database, time to a healthy /health)"
for run in 1 2 3; do
  started=$(date +%s%N)
  "$work/ehrbridge" serve 2>"$work/cold.log" &
  pid=$!
  wait_healthy
  echo "run $run: $(( ($(date +%s%N) - started) / 1000000 )) ms"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

"$work/ehrbridge" sim -port $sim_port 2>"$work/sim.log" &
pids+=($!)
"$work/ehrbridge" serve 2>"$work/server.log" &
server_pid=$!
pids+=($server_pid)
wait_healthy

curl -sfS -X PUT "$url/ehr/systems/Athena" -H 'Content-Type: application/json' -d "{
  \"baseUrl\": \"http://127.0.0.1:${sim_port}/athena\", \"practiceId\": \"195900\",
  \"authKind\": \"oauth2_client_credentials\", \"clientId\": \"ehrbridge\", \"secretEnv\": \"ATHENA_CLIENT_SECRET\"}" >/dev/null

bench() {
  echo "== $*"
  "$work/ehrbridge" bench --url "$url" "$@"
}
peak_rss() {
  echo "peak RSS of the server: $(awk '/VmHWM/ {print $2 / 1024 " MB"}' /proc/$server_pid/status)"
}

bench --scenario mapping --concurrency 64 --duration "${seconds}s"
bench --scenario async --concurrency 64 --duration "${seconds}s"
# Let the queue drain before the next scenario.
for _ in $(seq 1 600); do
  [ "$(curl -sfS "$url/ehr/queue/status" | jq '(.jobs.available // 0) + (.jobs.running // 0)')" = 0 ] && break
  sleep 1
done
bench --scenario e2e --concurrency 64 --count 20000
bench --scenario sync --concurrency 64 --duration "${seconds}s"

curl -sfS -X POST "http://127.0.0.1:${sim_port}/faults" -H 'Content-Type: application/json' \
  -d '{"system": "athena", "mode": "latency", "latencyMs": 100}' >/dev/null
bench --scenario sync --concurrency 16 --duration "${seconds}s"
curl -sfS -X DELETE "http://127.0.0.1:${sim_port}/faults" >/dev/null
peak_rss
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true

echo "== pgbench: the writes of one async accept, 64 clients"
pgbench -h 127.0.0.1 -U postgres -n -f docs/benchmarks/async_accept.sql -c 64 -j 2 -T "$seconds" ehrbridge_bench | grep -E '^(tps|latency)'
echo "== pgbench: the writes of one five-endpoint delivery, ${QUEUE_CONCURRENCY} clients"
pgbench -h 127.0.0.1 -U postgres -n -f docs/benchmarks/delivery.sql -c "$QUEUE_CONCURRENCY" -j 2 -T "$seconds" ehrbridge_bench | grep -E '^(tps|latency)'

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE ehrbridge_bench"
redis-cli --scan --pattern 'ehrbridge-bench:*' | xargs -r redis-cli del >/dev/null
