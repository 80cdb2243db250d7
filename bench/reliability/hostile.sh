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
# shellcheck source=setup.sh
. bench/reliability/setup.sh

out="bench/reliability/results/hostile-$(date -u +%Y%m%dT%H%M%SZ).md"
exec java -Xmx1g -cp "$classpath" bench/reliability/HostileSweep.java --dist "$dist_dir" --out "$out" "$@"
