#!/usr/bin/env bash
# Builds dl4j-fms-examples (with the modules it needs) and runs one of its main classes with the benchmark JVM
# settings. Usage: bench/run-java-main.sh <fully.qualified.MainClass> [arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
main_class="$1"
shift
mvn -q -B -o -pl dl4j-fms-examples -am package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
CP="dl4j-fms-examples/target/classes:$(cat dl4j-fms-examples/target/classpath.txt)"
exec java -Xmx2g -Dorg.bytedeco.javacpp.maxbytes=4g -Dorg.bytedeco.javacpp.maxphysicalbytes=6g \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$CP" "$main_class" "$@"
