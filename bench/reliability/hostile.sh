#!/usr/bin/env bash
# The hostile sweep of docs/reliability.md, in one command:
#
#   bench/reliability/hostile.sh
#
# Builds the distribution unless it is there (SKIP_BUILD=1 never builds), starts it in server mode with its loggers
# turned up, registers one sandbox cluster, and sends it, over raw sockets, request framings a proxy could read
# differently, malformed heads, hostile query values on every GET endpoint and hostile bodies on every POST one.
# Writes the counts (5xx, answers outside the envelope, no answer, secrets in the log) to
# bench/reliability/results/hostile-<UTC time>.md and prints them. MVN_ARGS passes options to Maven.
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
[ -d plugins/sandbox/target/classes ] || mvn -B -q "${mvn_args[@]}" -pl plugins/sandbox compile
classpath="plugins/sandbox/target/classes:$(cat "$cp_file")"

mkdir -p bench/reliability/results
out="bench/reliability/results/hostile-$(date -u +%Y%m%dT%H%M%SZ).md"
exec java -Xmx1g -cp "$classpath" bench/reliability/HostileSweep.java --dist "$dist_dir" --out "$out" "$@"
