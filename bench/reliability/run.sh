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
# shellcheck source=setup.sh
. bench/reliability/setup.sh

out="bench/reliability/results/$(date -u +%Y%m%dT%H%M%SZ).md"
exec java -Xmx1g -cp "$classpath" bench/reliability/ReliabilityRun.java --dist "$dist_dir" --out "$out" "$@"
