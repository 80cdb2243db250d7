#!/usr/bin/env bash
# The load and fault run of docs/reliability.md, in one command:
#
#   bench/reliability/run.sh [--clients 200] [--seconds 60] [--fault-seconds 60] [--warmup 15]
#
# Builds the distribution unless it is there (SKIP_BUILD=1 never builds), starts it in server mode in its own JVM,
# two sandbox clusters (alpha, beta) behind fault proxies in the load client's JVM, and runs the clients: a normal
# phase, a phase where beta is faulty (hang, slow, drop, 5xx, garbage, refuse in turn), a recovery phase. Writes
# the figures to bench/reliability/results/<UTC time>.md and prints them. MVN_ARGS passes options to Maven (e.g.
# MVN_ARGS="-o -Dmaven.repo.local=/path").
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
# shellcheck source=../../dist/src/main/dist/bin/find-java.sh
. dist/src/main/dist/bin/find-java.sh
JAVA_HOME="$(cloudpilot_find_java_home 21 javac)" || exit 1
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
read -r -a mvn_args <<< "${MVN_ARGS:-}"

dist_dir="$(ls -d dist/target/cloudpilot/cloudpilot-*/ 2>/dev/null | head -n 1 || true)"
if [ -z "$dist_dir" ] && [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q "${mvn_args[@]}" -DskipTests install
  dist_dir="$(ls -d dist/target/cloudpilot/cloudpilot-*/ | head -n 1)"
fi
[ -n "$dist_dir" ] || { echo "no distribution under dist/target: run ./dev build" >&2; exit 1; }

cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -B -q "${mvn_args[@]}" -pl plugins/sandbox dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >/dev/null
classpath="plugins/sandbox/target/classes:$(cat "$cp_file")"
[ -d plugins/sandbox/target/classes ] || mvn -B -q "${mvn_args[@]}" -pl plugins/sandbox compile

mkdir -p bench/reliability/results
out="bench/reliability/results/$(date -u +%Y%m%dT%H%M%SZ).md"
exec java -Xmx1g -cp "$classpath" bench/reliability/ReliabilityRun.java --dist "$dist_dir" --out "$out" "$@"
