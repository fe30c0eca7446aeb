#!/usr/bin/env bash
# Bounded load test on loopback: gunicorn with 4 workers on the bundled data, 50 concurrent clients for
# 60 s (wrk from Debian: apt-get install wrk), page loads and data requests. Prints req/s, p50, p99, errors.
#   bash bench/load.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
connections=${2:-50}
port=$(.venv/bin/python -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 2; }
CONTROLMAP_WORKERS=4 CONTROLMAP_BIND=127.0.0.1:$port .venv/bin/gunicorn -c gunicorn.conf.py \
  --access-logfile /dev/null wsgi:server > /tmp/controlmap-load-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
echo "# load: $connections connections, $seconds s, 4 gunicorn workers, $(nproc) cores, loopback"
wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s bench/load.lua "http://127.0.0.1:$port"
