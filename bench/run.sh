#!/usr/bin/env bash
# CloudPilot benchmark: a scaled sandbox cluster in its own JVM, the CloudPilot distribution in server mode against
# it, and HTTP load from wrk (a separate process). Writes the table into docs/performance.md. See that file.
#
#   bench/run.sh [--sizes 1k,10k,30k,150k] [--cache ttl,watch] [--duration 10] [--connections 16] [--cold 3]
#                [--rate 3000] [--no-build] [--out docs/performance.md] [--server-heap auto|2g]
#                [--only REGEX] [--dist DIR] [--pin] [--jfr] [--clusters N [--broken B]] [-- MAVEN_ARGS...]
#   (--server-heap auto: 2g for 1k and 10k pods, 4g for 30k and 150k; --only: endpoints whose name matches;
#    --dist: measure another distribution directory, e.g. an older build, for before/after figures;
#    --pin: the server on core 1, wrk on core 0 with one thread, as the issue's figures were taken;
#    --jfr: a JFR recording (profile settings) of each server, kept under bench/target/jfr/ for the p99 tail;
#    --clusters: also a many-clusters run, N clusters from one sandbox JVM, B of them (default 10) hanging or
#    refusing; --sizes none skips the sized runs)
#
# Timings are figures for a report, never assertions: nothing here fails because something is slow.
set -euo pipefail
ROOT="${CLOUDPILOT_ROOT:-$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)}"
cd "$ROOT"

sizes="1k,10k,30k"
modes="ttl,watch"
duration=10
connections=16
rate=3000
rate_connections=64
cold_runs=3
build=auto
out="docs/performance.md"
server_heap="auto"
only=""
pin=no
jfr=no
clusters=0
broken=10
dist_override=""
declare -A heap_used=()
maven_args=()
command_line="bench/run.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --cache) modes="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --cold) cold_runs="$2"; shift 2 ;;
    --no-build) build=no; shift ;;
    --build) build=yes; shift ;;
    --out) out="$2"; shift 2 ;;
    --server-heap) server_heap="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --pin) pin=yes; shift ;;
    --jfr) jfr=yes; shift ;;
    --clusters) clusters="$2"; shift 2 ;;
    --broken) broken="$2"; shift 2 ;;
    --dist) dist_override="$2"; build=no; shift 2 ;;
    --) shift; maven_args=("$@"); break ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# --- tools -----------------------------------------------------------------------------------------------------
# shellcheck source=../dist/src/main/dist/bin/find-java.sh
. dist/src/main/dist/bin/find-java.sh
JAVA_HOME="$(cloudpilot_find_java_home 21 javac)" || exit 1
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
JCMD="$JAVA_HOME/bin/jcmd"
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }
if ! command -v wrk >/dev/null; then
  log "wrk is missing: installing it from the distribution's packages"
  if command -v apt-get >/dev/null; then
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get install -y wrk >/dev/null || { $sudo_cmd apt-get update >/dev/null && $sudo_cmd apt-get install -y wrk >/dev/null; }
  fi
  command -v wrk >/dev/null || { echo "wrk is needed (e.g. 'apt-get install wrk')" >&2; exit 1; }
fi

# --- the distribution ------------------------------------------------------------------------------------------
dist_dir="$(ls -d dist/target/cloudpilot/cloudpilot-*/ 2>/dev/null | head -n 1 || true)"
if [ "$build" = yes ] || { [ "$build" = auto ] && [ -z "$dist_dir" ]; }; then
  log "building the distribution (./dev build ${maven_args[*]:-})"
  ./dev build -q "${maven_args[@]}" >&2
  dist_dir="$(ls -d dist/target/cloudpilot/cloudpilot-*/ | head -n 1)"
fi
[ -n "$dist_dir" ] || { echo "no distribution under dist/target: run without --no-build" >&2; exit 1; }
dist_dir="$(cd "$dist_dir" && pwd)"
# the sandbox always comes from this checkout, so that another distribution (--dist) is measured against the same
# cluster
sandbox_dist="$dist_dir"
if [ -n "$dist_override" ]; then
  dist_dir="$(ls -d "$dist_override"/dist/target/cloudpilot/cloudpilot-*/ 2>/dev/null | head -n 1 || echo "$dist_override")"
  dist_dir="$(cd "$dist_dir" && pwd)"
fi

work="$(mktemp -d -t cloudpilot-bench-XXXXXX)"
sandbox_pid=""
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000))
}

wait_for_line() { # file pattern timeout-seconds pid
  local i=0
  while ! grep -q "$2" "$1" 2>/dev/null; do
    kill -0 "$4" 2>/dev/null || { echo "the process writing $1 died:" >&2; tail -20 "$1" >&2; return 1; }
    sleep 0.5; i=$((i + 1))
    if [ $i -gt $(($3 * 2)) ]; then echo "timed out waiting for '$2' in $1:" >&2; tail -20 "$1" >&2; return 1; fi
  done
  return 0
}

# ms with 1 decimal from wrk's "1.23ms" / "456.78us" / "1.02s"
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.1f", n }'; }

upstream_calls() { # sum of cloudpilot_upstream_calls for cluster bench
  curl -s "$base/metrics" | awk '/^cloudpilot_upstream_calls/ && /cluster="bench"/ { s += $NF } END { printf "%d", s }'
}

heap_used_mib() { # NAME: the live heap: a class histogram runs a full GC first and sums what survived; the histogram
  # is kept in bench/target/heap/NAME.txt (what the heap is made of: the profile behind a memory figure)
  local histogram="$ROOT/bench/target/heap/$1.txt"
  mkdir -p "$ROOT/bench/target/heap"
  "$JCMD" "$server_pid" GC.class_histogram > "$histogram" 2>/dev/null || true
  awk '/^Total/ { printf "%d", $3 / 1048576 }' "$histogram"
}

clk_tck="$(getconf CLK_TCK)"
cpu_ms() { # the server's CPU time (user + system) so far, in ms: what a request costs, whatever else runs
  awk -v hz="$clk_tck" '{ sub(/^.*\) /, ""); printf "%d", ($12 + $13) * 1000 / hz }' "/proc/$server_pid/stat"
}

# wrk and the server on separate cores with --pin (the load generator's waits for a core then do not show as
# latency); otherwise both float over every core
wrk_threads=2; server_cpus=(); wrk_cpus=()
if [ "$pin" = yes ]; then
  command -v taskset >/dev/null || { echo "--pin needs taskset (util-linux)" >&2; exit 1; }
  wrk_threads=1; server_cpus=(taskset -c 1); wrk_cpus=(taskset -c 0)
fi
load() { "${wrk_cpus[@]}" wrk -t"$wrk_threads" "$@"; }

rss_mib() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$server_pid/status"; }

# every list and detail endpoint; the named objects are the default fixtures', present at every size
fixture_pod="namespace=payments&pod_name=payments-api-7f8c9d6b4-r7t2v"
all_endpoints=(
  "pods list (page_size 100)|/k8s/resources/pods/list?cluster_name=bench&page_size=100"
  "pod detail|/k8s/resources/pods/detail?cluster_name=bench&$fixture_pod"
  "pod logs (100 lines)|/k8s/resources/logs/pod?cluster_name=bench&$fixture_pod&container=payments-api&lines=100"
  "deployments list|/k8s/resources/deployments/list?cluster_name=bench&page_size=100"
  "deployment detail|/k8s/resources/deployments/detail?cluster_name=bench&namespace=payments&deployment_name=payments-api"
  "services list|/k8s/resources/services/list?cluster_name=bench&page_size=100"
  "service detail|/k8s/resources/services/detail?cluster_name=bench&namespace=payments&service_name=payments-api"
  "nodes list|/k8s/resources/nodes/list?cluster_name=bench&page_size=100"
  "node detail|/k8s/resources/nodes/detail?cluster_name=bench&node_name=node-0001"
  "node capacity (page_size 100)|/k8s/resources/nodes/capacity?cluster_name=bench&page_size=100"
  "node capacity, one node|/k8s/resources/nodes/capacity?cluster_name=bench&node_name=node-0001"
  "events of the cluster|/k8s/resources/events/cluster?cluster_name=bench&page_size=100"
  "events of a namespace|/k8s/resources/events/namespace?cluster_name=bench&namespace=bench-01&page_size=100"
  "events of a pod|/k8s/resources/events/resource?cluster_name=bench&resource_kind=Pod&namespace=payments&resource_name=payments-api-7f8c9d6b4-r7t2v"
  "events of a Deployment|/k8s/resources/events/resource?cluster_name=bench&resource_kind=Deployment&namespace=payments&resource_name=payments-api"
  "overview|/k8s/overview/cluster?cluster_name=bench"
  "VirtualService list|/api/istio/virtualservice/list?cluster_name=bench&page_size=100"
  "VirtualService detail|/api/istio/virtualservice/detail?cluster_name=bench&namespace=shop&virtualservice_name=frontend"
  "DestinationRule list|/api/istio/destinationrule/list?cluster_name=bench&page_size=100"
  "DestinationRule detail|/api/istio/destinationrule/detail?cluster_name=bench&namespace=shop&destinationrule_name=frontend"
  "Gateway list|/api/istio/gateway/list?cluster_name=bench&page_size=100"
  "Gateway detail|/api/istio/gateway/detail?cluster_name=bench&namespace=istio-system&gateway_name=shop-gateway"
  "istiod detail|/istio/workloads/istiod/detail?cluster_name=bench"
  "istiod events|/istio/workloads/istiod/events?cluster_name=bench"
  "ingress gateway detail|/istio/workloads/gateway/detail?cluster_name=bench"
  "cluster info|/k8s/cluster/info?cluster_name=bench"
  "health summary|/istio/health/summary?cluster_name=bench"
)
endpoints=()
for entry in "${all_endpoints[@]}"; do
  if [ -z "$only" ] || [[ "${entry%%|*}" =~ $only ]]; then endpoints+=("$entry"); fi
done
[ ${#endpoints[@]} -gt 0 ] || { echo "no endpoint matches --only '$only'" >&2; exit 2; }

# Warm figures of one endpoint: at saturation (rps, p50, p99, warm_cpu_us, warm_calls) and at a held rate
# (rate_rps, rate_p50, rate_p99); non-2xx answers in errors
measure_warm() {
  local path="$1" calls0 calls1 cpu0 cpu1 wrk_out total probe_rps asked rate_out rate_errors log_from
  # warm at saturation: the cache is filled; wrk from its own process
  curl -s -o /dev/null "$base$path"
  calls0=$(upstream_calls)
  cpu0=$(cpu_ms)
  log_from=$(wc -l < "$server_log")
  wrk_out="$(load -c"$connections" -d"${duration}s" --latency "$base$path" 2>&1)"
  calls1=$(upstream_calls)
  cpu1=$(cpu_ms)
  rps="$(awk '/^Requests\/sec/ { printf "%d", $2 }' <<< "$wrk_out")"
  total="$(awk '/requests in/ { print $1 }' <<< "$wrk_out")"
  p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<< "$wrk_out")")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<< "$wrk_out")")"
  # the server's own time per request in that pass (its access log, routing to last byte written, whole ms): a p99
  # far above it was spent outside the server's handling (waiting for a core, in the socket, in wrk)
  p99="$p99 (server $(tail -n +"$((log_from + 1))" "$server_log" | awk -v req="\"GET $path\"" 'index($0, req) {
      for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+ms$/) { print $i + 0; break } }' | sort -n | awk '{ t[NR] = $1 }
      END { if (NR == 0) { printf "?"; exit } m = int(NR * 0.5); n = int(NR * 0.99); if (m < 1) m = 1; if (n < 1) n = 1
      printf "%s / %s", t[m], t[n] }'))"
  errors="$(awk '/Non-2xx/ { print $NF }' <<< "$wrk_out")"
  warm_cpu_us=$(awk -v c="$((cpu1 - cpu0))" -v n="${total:-1}" 'BEGIN { printf "%d", c * 1000 / (n > 0 ? n : 1) }')
  warm_calls=$(awk -v a="$calls0" -v b="$calls1" -v n="${total:-1}" 'BEGIN { printf "%.3f", (b - a) / (n > 0 ? n : 1) }')
  # held rate: latency at a given load rather than at saturation, where wrk and the server share the 2 cores
  # and wrk's own waits for CPU show up as latency. A 2 s probe tells how far below the asked rate each
  # connection's cycle (wait + response) falls; the measured pass asks that much more (at most twice).
  probe_rps="$(WRK_RATE="$rate" WRK_CONNECTIONS="$rate_connections" load -c"$rate_connections" -d2s \
    -s bench/rate.lua "$base$path" 2>&1 | awk '/^Requests\/sec/ { printf "%d", $2 }')"
  asked="$(awk -v r="$rate" -v p="${probe_rps:-0}" 'BEGIN { a = (p > 0 && p < r) ? r * r / p : r; if (a > 2 * r) a = 2 * r; printf "%d", a }')"
  rate_out="$(WRK_RATE="$asked" WRK_CONNECTIONS="$rate_connections" \
    load -c"$rate_connections" -d"${duration}s" --latency -s bench/rate.lua "$base$path" 2>&1)"
  rate_rps="$(awk '/^Requests\/sec/ { printf "%d", $2 }' <<< "$rate_out")"
  rate_p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<< "$rate_out")")"
  rate_p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<< "$rate_out")")"
  rate_errors="$(awk '/Non-2xx/ { print $NF }' <<< "$rate_out")"
  errors="${errors:-}${rate_errors:+ held: $rate_errors}"
}

# Starts the distribution on a free port (server_pid, base, server_log, startup_ms): name heap [-D key=value...]
start_server() {
  local name="$1" heap="$2" t0 port
  shift 2
  port="$(free_port)"
  base="http://127.0.0.1:$port"
  server_log="$work/server-$name.log"
  log "$name: starting CloudPilot on $base"
  t0=$(date +%s%N)
  local java_opts="-Xmx$heap"
  if [ "$jfr" = yes ]; then # where the p99 goes: socket reads, virtual-thread parking, GC, allocation, locks
    mkdir -p "$ROOT/bench/target/jfr"
    java_opts="$java_opts -XX:StartFlightRecording=filename=$ROOT/bench/target/jfr/server-$name.jfr,settings=profile,dumponexit=true"
  fi
  JAVA_OPTS="$java_opts" "${server_cpus[@]}" "$dist_dir/bin/cloudpilot" --port "$port" --data-dir "$work/data-$name" \
    "$@" > "$server_log" 2>&1 &
  server_pid=$!
  until curl -sf -o /dev/null "$base/health/ready"; do
    sleep 0.05
    kill -0 "$server_pid" 2>/dev/null || { echo "CloudPilot died:" >&2; tail -30 "$server_log" >&2; exit 1; }
  done
  startup_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}

register() { # name url token [verify: false registers a cluster that does not answer, as an operator can]
  curl -sf -o /dev/null -X POST "$base/k8s/cluster/add" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"api_server\":\"$2\",\"token\":\"$3\",\"insecure\":true,\"verify\":${4:-true}}"
}

threads() { awk '/^Threads/ { print $2 }' "/proc/$server_pid/status"; }

results="$work/results.md"
: > "$results"
started_at="$(date -u +'%Y-%m-%d %H:%M UTC')"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

IFS=',' read -r -a size_list <<< "$sizes"
IFS=',' read -r -a mode_list <<< "$modes"
for size in "${size_list[@]}"; do
  case "$size" in
    1k) pods=1000; nodes=100 ;;
    10k) pods=10000; nodes=500 ;;
    30k) pods=30000; nodes=1000 ;;
    150k) pods=150000; nodes=5000 ;; # the limits Kubernetes documents for one cluster
    none) continue ;;
    *) echo "unknown size $size (1k, 10k, 30k, 150k)" >&2; exit 2 ;;
  esac
  sandbox_heap=4g; [ "$size" = 150k ] && sandbox_heap=8g
  # the default fixtures already hold 28 pods on 4 nodes
  log "size $size: starting a sandbox with $pods pods on $nodes nodes and 1,000 VirtualServices/DestinationRules"
  sandbox_log="$work/sandbox-$size.log"
  "$JAVA" -Xmx$sandbox_heap -XX:+UseParallelGC -cp "$sandbox_dist/lib/*:$sandbox_dist/demo/plugins/demo/*" \
    io.cloudpilot.sandbox.SandboxCluster --pods $((pods - 28)) --nodes $((nodes - 4)) --istio-objects 1000 \
    --kubeconfig "$work/kubeconfig-$size.yaml" > "$sandbox_log" 2>&1 &
  sandbox_pid=$!
  wait_for_line "$sandbox_log" "seeded in" 1800 "$sandbox_pid"
  sandbox_url="$(head -n 1 "$sandbox_log")"
  sandbox_token="$(awk '/token:/ { print $2 }' "$work/kubeconfig-$size.yaml")"
  log "sandbox at $sandbox_url ($(grep 'seeded in' "$sandbox_log"))"
  raw_list_ms="$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $sandbox_token" \
    "$sandbox_url/api/v1/pods" | awk '{ printf "%d", $1 * 1000 }')"

  for mode in "${mode_list[@]}"; do
    heap_opt="$server_heap"
    if [ "$heap_opt" = auto ]; then # 30k pods: an informer's 30,000 pods plus a forced live read need more than 2 GiB
      heap_opt=2g; { [ "$size" = 30k ] || [ "$size" = 150k ]; } && heap_opt=4g
    fi
    heap_used["$size"]="$heap_opt"
    start_server "$size-$mode" "$heap_opt" -D "cloudpilot.cache.mode=$mode" -D cache.ttl=PT10M \
      -D cluster.request-timeout=PT120S -D cluster.call-timeout=PT120S -D cloudpilot.request-timeout=PT180S
    register bench "$sandbox_url" "$sandbox_token" || { echo "cannot register the sandbox" >&2; tail -30 "$server_log" >&2; exit 1; }
    log "ready in ${startup_ms} ms; sandbox registered as cluster 'bench'"

    # JIT warm-up: every endpoint primed and loaded for 3 s, unmeasured, before any figure is taken (the first
    # endpoint measured used to pay for compiling the shared request path)
    for entry in "${endpoints[@]}"; do
      path="${entry#*|}"
      curl -s -o /dev/null "$base$path"
      load -c"$connections" -d3s "$base$path" >/dev/null 2>&1 || true
    done
    for entry in "${endpoints[@]}"; do
      name="${entry%%|*}"; path="${entry#*|}"
      measure_warm "$path"
      # cold: one request at a time, every read from the cluster
      cold_times=()
      calls0=$(upstream_calls)
      cpu0=$(cpu_ms)
      for _ in $(seq "$cold_runs"); do
        t="$(curl -s -o "$work/last.json" -w '%{http_code} %{time_total}' "$base$path&force_refresh=true")"
        [ "${t%% *}" = 200 ] || { echo "$name answered ${t%% *}: $(head -c 300 "$work/last.json")" >&2; }
        cold_times+=("$(awk -v s="${t#* }" 'BEGIN { printf "%d", s * 1000 }')")
      done
      calls1=$(upstream_calls)
      cold_cpu=$(( ($(cpu_ms) - cpu0) / cold_runs ))
      cold_calls=$(awk -v a="$calls0" -v b="$calls1" -v n="$cold_runs" 'BEGIN { printf "%.1f", (b - a) / n }')
      cold_sorted="$(printf '%s\n' "${cold_times[@]}" | sort -n | paste -sd/ -)"
      log "$name: warm ${rps} req/s, p50 ${p50} ms, p99 ${p99} ms, ${warm_cpu_us} us CPU/req, ${warm_calls} calls/req; held at ${rate_rps} req/s: p50 ${rate_p50} ms, p99 ${rate_p99} ms; cold ${cold_sorted} ms (${cold_calls} calls, ${cold_cpu} ms CPU)${errors:+, NON-2xx: $errors}"
      printf '| %s | %s | %s | %s | %s | %s | %s | %s / %s / %s | %s | %s | %s | %s |\n' "$size" "$mode" "$name" "${rps:-?}" "$p50" "$p99" \
        "$warm_cpu_us" "${rate_rps:-?}" "$rate_p50" "$rate_p99" "$warm_calls" "$cold_sorted" "$cold_cpu" \
        "$cold_calls${errors:+ (non-2xx: $errors)}" >> "$results"
    done
    heap="$(heap_used_mib "$size-$mode")"; rss="$(rss_mib)"
    log "heap after a full warm-up and GC: ${heap} MiB; RSS ${rss} MiB"
    per_pod_kb=$(awk -v h="$heap" -v n="$pods" 'BEGIN { printf "%.1f", h * 1024 / n }')
    printf '| %s | %s | **process** | startup to /health/ready: %s ms | heap after GC: %s MiB (%s KB per pod) | RSS: %s MiB | | | | sandbox alone, raw pod list: %s ms | | |\n' \
      "$size" "$mode" "$startup_ms" "$heap" "$per_pod_kb" "$rss" "$raw_list_ms" >> "$results"
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
  done
  kill "$sandbox_pid"; wait "$sandbox_pid" 2>/dev/null || true; sandbox_pid=""
done

# --- many clusters: memory and threads per registered cluster, and whether broken ones slow the healthy ---------
if [ "$clusters" -gt 0 ]; then
  hanging=$((broken / 2)); refusing=$((broken - hanging))
  many_endpoints=()
  for entry in "${all_endpoints[@]}"; do
    [[ "${entry%%|*}" =~ ^(pods\ list|overview|events\ of\ the\ cluster) ]] && many_endpoints+=("$entry")
  done
  log "many clusters: $clusters clusters from one sandbox JVM, $hanging of them hanging and $refusing refusing"
  sandbox_log="$work/sandbox-many.log"
  "$JAVA" -Xmx6g -XX:+UseParallelGC -cp "$sandbox_dist/lib/*:$sandbox_dist/demo/plugins/demo/*" \
    io.cloudpilot.sandbox.SandboxCluster --clusters "$clusters" --hanging "$hanging" --refusing "$refusing" \
    > "$sandbox_log" 2>&1 &
  sandbox_pid=$!
  wait_for_line "$sandbox_log" "seeded in" 1800 "$sandbox_pid"
  mapfile -t cluster_lines < <(awk '$1 == "cluster"' "$sandbox_log")
  log "sandboxes up ($(grep 'seeded in' "$sandbox_log"))"
  # the default timeouts: a broken cluster costs here what it costs in production
  heap_used["many"]=2g
  start_server "clusters-$clusters" 2g -D cache.ttl=PT10M
  read -r _ first_name first_url first_token _ <<< "${cluster_lines[0]}"
  register bench "$first_url" "$first_token" || { echo "cannot register the first sandbox" >&2; exit 1; }
  for entry in "${many_endpoints[@]}"; do
    curl -s -o /dev/null "$base${entry#*|}"
    load -c"$connections" -d3s "$base${entry#*|}" >/dev/null 2>&1 || true
  done
  heap_one="$(heap_used_mib clusters-1)"; threads_one="$(threads)"; rss_one="$(rss_mib)"
  for entry in "${many_endpoints[@]}"; do
    measure_warm "${entry#*|}"
    log "1 cluster, ${entry%%|*}: warm ${rps} req/s, p50 ${p50} ms, p99 ${p99} ms; held at ${rate_rps} req/s: p50 ${rate_p50} ms, p99 ${rate_p99} ms${errors:+, NON-2xx: $errors}"
    printf '| many | ttl | %s, 1 cluster registered | %s | %s | %s | %s | %s / %s / %s | %s | | | %s |\n' "${entry%%|*}" \
      "${rps:-?}" "$p50" "$p99" "$warm_cpu_us" "${rate_rps:-?}" "$rate_p50" "$rate_p99" "$warm_calls" \
      "${errors:+non-2xx: $errors}" >> "$results"
  done
  t0=$(date +%s%N)
  names=(); broken_names=(); refused=0
  for line in "${cluster_lines[@]:1}"; do
    read -r _ name url token state <<< "$line"
    # the broken ones registered without the check (it refuses them), so that they are asked as registered clusters
    verify=true; [ "$state" = healthy ] || verify=false
    register "$name" "$url" "$token" "$verify" || refused=$((refused + 1))
    names+=("$name")
    [ "$state" = healthy ] || broken_names+=("$name")
  done
  register_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  log "registered $((clusters - 1)) more clusters in ${register_ms} ms ($refused registrations refused)"
  heap_idle="$(heap_used_mib "clusters-$clusters-idle")"; threads_idle="$(threads)"; rss_idle="$(rss_mib)"
  # every cluster read once (its overview), 16 at a time: healthy ones cache it, broken ones fail after their timeouts
  t0=$(date +%s%N)
  printf '%s\n' "${names[@]}" | xargs -P 16 -I{} curl -s -o /dev/null -m 120 "$base/k8s/overview/cluster?cluster_name={}"
  read_all_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  heap_read="$(heap_used_mib "clusters-$clusters-read")"; threads_read="$(threads)"; rss_read="$(rss_mib)"
  # the healthy cluster measured again while one hanging and one refusing cluster are asked all along
  background_s=$(( (2 * duration + 8) * ${#many_endpoints[@]} + 5 ))
  background=()
  for name in "${broken_names[0]:-}" "${broken_names[$((${#broken_names[@]} - 1))]:-}"; do
    [ -n "$name" ] || continue
    # 50 requests/s each, as dashboards polling a broken cluster would ask, not as fast as wrk goes
    WRK_RATE=50 WRK_CONNECTIONS=8 wrk -t1 -c8 -d"${background_s}s" -s bench/rate.lua \
      "$base/k8s/overview/cluster?cluster_name=$name" >/dev/null 2>&1 &
    background+=($!)
  done
  for entry in "${many_endpoints[@]}"; do
    measure_warm "${entry#*|}"
    log "$clusters clusters, ${entry%%|*}: warm ${rps} req/s, p50 ${p50} ms, p99 ${p99} ms; held at ${rate_rps} req/s: p50 ${rate_p50} ms, p99 ${rate_p99} ms${errors:+, NON-2xx: $errors}"
    printf '| many | ttl | %s, %s clusters registered (%s broken ones asked throughout) | %s | %s | %s | %s | %s / %s / %s | %s | | | %s |\n' \
      "${entry%%|*}" "$clusters" "${#background[@]}" "${rps:-?}" "$p50" "$p99" "$warm_cpu_us" "${rate_rps:-?}" "$rate_p50" \
      "$rate_p99" "$warm_calls" "${errors:+non-2xx: $errors}" >> "$results"
  done
  threads_loaded="$(threads)"
  for pid in "${background[@]}"; do kill "$pid" 2>/dev/null || true; done
  per_idle_kib=$(awk -v a="$heap_one" -v b="$heap_idle" -v n="$((clusters - 1))" 'BEGIN { printf "%d", (b - a) * 1024 / n }')
  per_read_kib=$(awk -v a="$heap_one" -v b="$heap_read" -v n="$((clusters - 1))" 'BEGIN { printf "%d", (b - a) * 1024 / n }')
  log "heap: 1 cluster ${heap_one} MiB, $clusters idle ${heap_idle} MiB (${per_idle_kib} KiB each), each read once ${heap_read} MiB (${per_read_kib} KiB each); threads ${threads_one} / ${threads_idle} / ${threads_read} / ${threads_loaded} under load"
  printf '| many | ttl | **process** | 1 cluster: heap after GC %s MiB, %s threads, RSS %s MiB | %s registered, idle: heap %s MiB (%s KiB per cluster), %s threads, RSS %s MiB | each read once (%s ms for all, 16 at a time): heap %s MiB (%s KiB per cluster), %s threads, RSS %s MiB | threads while broken clusters are asked: %s | | registering %s clusters: %s ms | | |\n' \
    "$heap_one" "$threads_one" "$rss_one" "$clusters" "$heap_idle" "$per_idle_kib" "$threads_idle" "$rss_idle" \
    "$read_all_ms" "$heap_read" "$per_read_kib" "$threads_read" "$rss_read" "$threads_loaded" "$((clusters - 1))" \
    "$register_ms" >> "$results"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
  kill "$sandbox_pid"; wait "$sandbox_pid" 2>/dev/null || true; sandbox_pid=""
fi
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- the report ------------------------------------------------------------------------------------------------
mem_total="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
cpu_model="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
section="$work/section.md"
{
  echo "<!-- bench:results -->"
  echo "### Run of $started_at"
  echo
  echo "- command: \`$command_line\`"
  echo "- distribution: \`$dist_dir\`"
  echo "- machine: $(nproc) cores ($cpu_model), $mem_total memory, $(uname -sr), Java $("$JAVA" -version 2>&1 | head -n 1 | cut -d'"' -f2)"
  echo "- load average (1/5/15 min) before: $load_before; after: $load_after"
  echo "- server: \`JAVA_OPTS=-Xmx<heap>\` with $(for k in "${!heap_used[@]}"; do printf '%s: %s; ' "$k" "${heap_used[$k]}"; done | sed 's/; $//') (the launcher adds \`-XX:+ExitOnOutOfMemoryError -XX:+UseStringDeduplication\`), \`cache.ttl=PT10M\` (so that warm means cached for the whole run), request/call timeouts raised to 120 s (so that the cold path of the largest sizes completes and is measured instead of answering 503 after 20 s; the many-clusters run keeps the defaults); wrk: $wrk_threads thread(s)$([ "$pin" = yes ] && echo ' pinned to core 0, the server to core 1 (`--pin`)'), $connections connections, every endpoint loaded 3 s unmeasured first (JIT), then per endpoint ${duration} s at saturation and ${duration} s held at about $rate req/s over $rate_connections connections (\`bench/rate.lua\`, the rate asked corrected by a 2 s probe); cold: $cold_runs requests one at a time with \`force_refresh=true\`$([ "$jfr" = yes ] && echo '; a JFR recording of each server (`--jfr`, profile settings) in `bench/target/jfr/`')"
  echo
  echo "| size | cache | endpoint | warm max req/s | at max: p50 ms | at max: p99 ms (server's own p50 / p99, access log) | warm server CPU µs/req | held: req/s / p50 ms / p99 ms | warm upstream calls/req | cold ms (each run) | cold server CPU ms/req | cold upstream calls/req |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  cat "$results"
  echo "<!-- /bench:results -->"
} > "$section"
if [ -f "$out" ] && grep -q '<!-- bench:results -->' "$out"; then
  awk -v section="$section" '
    /<!-- bench:results -->/ { while ((getline line < section) > 0) print line; skip = 1; next }
    /<!-- \/bench:results -->/ { skip = 0; next }
    !skip { print }' "$out" > "$work/out.md"
  cp "$work/out.md" "$out"
else
  cat "$section" >> "$out"
fi
log "wrote the table into $out"
cat "$section"
