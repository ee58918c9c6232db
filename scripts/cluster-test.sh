#!/usr/bin/env bash
# `npm run test:cluster`: starts a throwaway 3-master Redis Cluster on free ports (cluster bus on port+10000) in a temp
# dir, runs the integration and cluster tests against it through TEST_REDIS_URL (?cluster=true makes every Vigil
# connection an ioredis Cluster), and removes the cluster again. Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d /tmp/vigil-cluster-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

# Three ports whose cluster-bus ports (port + 10000) are free as well.
read -r -a ports <<<"$(node -e '
const net = require("node:net");
const free = (p) => new Promise((r) => { const s = net.createServer(); s.once("error", () => r(false)); s.listen(p, "127.0.0.1", () => s.close(() => r(true))); });
(async () => { const out = []; for (let p = 20000 + Math.floor(Math.random() * 20000); out.length < 3 && p < 55000; p++) if (await free(p) && await free(p + 10000)) out.push(p); console.log(out.join(" ")); })();
')"
for port in "${ports[@]}"; do
  mkdir -p "$dir/$port"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir/$port" --cluster-enabled yes --cluster-config-file nodes.conf \
    --cluster-node-timeout 5000 --appendonly yes --appendfsync everysec --save '' --maxmemory-policy noeviction \
    --daemonize no >"$dir/$port/log" 2>&1 &
  pids+=($!)
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
done
redis-cli --cluster create $(printf '127.0.0.1:%s ' "${ports[@]}") --cluster-replicas 0 --cluster-yes >"$dir/create.log"
for _ in $(seq 1 100); do
  ok=1
  for port in "${ports[@]}"; do redis-cli -p "$port" cluster info | grep -q 'cluster_state:ok' || ok=0; done
  [ "$ok" = 1 ] && break
  sleep 0.2
done
echo "Redis Cluster up on ports ${ports[*]}" >&2
export TEST_REDIS_URL="redis://127.0.0.1:${ports[0]}/?cluster=true"
export VIGIL_TEST_CLUSTER=1
npx jest --runInBand --forceExit test/integration test/cluster "$@"
