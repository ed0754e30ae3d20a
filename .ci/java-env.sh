# Shared by the run_*.sh scripts: JVM flags Spark needs on Java 17 and a build-when-stale step.
# Sourced, not executed.

FEATURELAKE_JVM_OPTS="-Xmx${FEATURELAKE_HEAP:-2g} \
--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
--add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED \
-Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"

# Spark would otherwise pick the first non-loopback address and warn about it.
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

featurelake_version() {
  sed -n 's:.*<version>\(.*-SNAPSHOT\|[0-9][0-9.]*\)</version>.*:\1:p' pom.xml | head -n 1
}

# Rebuilds (without tests) when the module's jar is missing or older than any source or POM.
featurelake_build_if_needed() {
  local module="$1"
  local jar="$module/target/$module-$(featurelake_version).jar"
  if [[ "${FEATURELAKE_SKIP_BUILD:-0}" == "1" && -f "$jar" ]]; then
    return 0
  fi
  if [[ ! -f "$jar" || ! -f "$module/target/runtime-classpath.txt" ]] \
     || [[ -n "$(find pom.xml */pom.xml */src -newer "$jar" -type f -print -quit 2>/dev/null)" ]]; then
    echo "featurelake: building (first run or sources changed) ..." >&2
    ./mvnw -B -q -DskipTests install >&2
  fi
}

# Class data sharing for a JVM started often (the gateway): its first run records the classes it
# loaded into an archive when it exits; later runs map that archive instead of parsing and
# verifying some 20,000 classes again (about half the start-up CPU time, docs/benchmarks.md).
# The archive sits next to the build output, named after the class path and its jars' sizes and
# times, so a rebuild starts a new one; a run never uses an archive it has not checked.
#   featurelake_cds_opts NAME CLASSPATH   prints the JVM flags; FEATURELAKE_CDS=0 prints none.
featurelake_cds_opts() {
  local name="$1" classpath="$2"
  [[ "${FEATURELAKE_CDS:-1}" == "1" ]] || return 0
  local dir="gateway/target/cds"
  local key
  # shellcheck disable=SC2046 # one stat per class path entry
  key="$( { echo "$classpath"; stat -c '%n %s %Y' $(tr ':' ' ' <<<"$classpath") 2>/dev/null; } | cksum | cut -d' ' -f1)"
  local archive="$dir/$name-$key.jsa"
  mkdir -p "$dir" 2>/dev/null || return 0
  local quiet="-Xlog:cds=off -Xlog:cds+dynamic=off"
  if [[ ! -s "$archive" ]]; then
    # A recording from an earlier run whose JVM has exited: keep it if the JVM can map it whole.
    local partial pid
    for partial in "$archive".part-*; do
      [[ -e "$partial" ]] || continue
      pid="${partial##*.part-}"
      kill -0 "$pid" 2>/dev/null && continue
      if java -XX:SharedArchiveFile="$partial" -XX:+VerifySharedSpaces -Xshare:on $quiet $FEATURELAKE_JVM_OPTS \
          -cp "$classpath" -version >/dev/null 2>&1; then
        mv -f "$partial" "$archive"
        find "$dir" -name "$name-*.jsa*" ! -name "$(basename "$archive")" -delete 2>/dev/null
      else
        rm -f "$partial"
      fi
    done
  fi
  if [[ -s "$archive" ]]; then
    echo "-XX:SharedArchiveFile=$archive -Xshare:auto $quiet"
  else
    # Recorded when this JVM exits (its pid is this shell's: the scripts exec java).
    echo "-XX:ArchiveClassesAtExit=$archive.part-$$ -XX:+VerifySharedSpaces $quiet"
  fi
}
