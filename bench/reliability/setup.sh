# Sourced by run.sh and hostile.sh (from the repository's root): finds a JDK 21+, builds the distribution unless it
# is there (SKIP_BUILD=1 never builds), and sets dist_dir, classpath (the sandbox plugin and its test dependencies,
# for the programs' own sandbox clusters) and mvn_args (from MVN_ARGS).
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
mvn -B -q "${mvn_args[@]}" -pl sandbox dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >/dev/null
classpath="sandbox/target/classes:$(cat "$cp_file")"
[ -d sandbox/target/classes ] || mvn -B -q "${mvn_args[@]}" -pl sandbox compile
mkdir -p bench/reliability/results
