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
