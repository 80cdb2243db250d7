# shellcheck shell=bash
# Finds a Java installation of at least a given major version: $JAVA_HOME, then the java on PATH, then the
# newest in the usual JVM directories. Sourced by bin/cloudpilot and by the repository's ./dev.
#
#   cloudpilot_find_java_home MIN [javac]   prints the Java home; or explains on stderr and returns 1

cloudpilot_java_major() {
  # the major version of the java binary $1 (8 for 1.8), or nothing
  "$1" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {v=$2; sub(/^1\./, "", v); split(v, a, "."); print a[1]; exit}'
}

cloudpilot_java_fits() {
  # cloudpilot_java_fits HOME MIN [javac]: prints the major version if HOME has a java (and javac) >= MIN
  local home="$1" min="$2" need_javac="${3:-}" major
  [ -x "$home/bin/java" ] || return 1
  if [ -n "$need_javac" ] && [ ! -x "$home/bin/javac" ]; then return 1; fi
  major="$(cloudpilot_java_major "$home/bin/java")"
  [ -n "$major" ] && [ "$major" -ge "$min" ] && echo "$major"
}

cloudpilot_find_java_home() {
  local min="$1" need_javac="${2:-}" home major best_home="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && cloudpilot_java_fits "$JAVA_HOME" "$min" "$need_javac" >/dev/null; then
    echo "$JAVA_HOME"; return 0
  fi
  if command -v java >/dev/null 2>&1; then
    home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    if cloudpilot_java_fits "$home" "$min" "$need_javac" >/dev/null; then echo "$home"; return 0; fi
  fi
  for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* \
              /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$home" ] || continue
    major="$(cloudpilot_java_fits "$home" "$min" "$need_javac")" || continue
    if [ "$major" -gt "$best_major" ]; then best_major="$major"; best_home="$home"; fi
  done
  if [ -n "$best_home" ]; then echo "$best_home"; return 0; fi
  {
    echo "CloudPilot needs Java $min or newer${need_javac:+ (a JDK, with javac)}, and none was found."
    echo "Looked at \$JAVA_HOME (${JAVA_HOME:-unset}), the java on PATH, /usr/lib/jvm, /usr/java, /opt/java,"
    echo "/Library/Java/JavaVirtualMachines, ~/.sdkman and ~/.jdks."
    echo "Install one (e.g. 'apt-get install openjdk-21-jdk', or Temurin 21+), or set JAVA_HOME to it."
  } >&2
  return 1
}
