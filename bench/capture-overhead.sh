#!/usr/bin/env bash
# Capture-overhead benchmark (see docs/benchmarks.md). Extra arguments go to the benchmark, e.g. --reps 12.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -o -pl dl4j-fms-examples -am package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
CP="dl4j-fms-examples/target/classes:$(cat dl4j-fms-examples/target/classpath.txt)"
exec java -Xmx2g -Dorg.bytedeco.javacpp.maxbytes=4g -Dorg.bytedeco.javacpp.maxphysicalbytes=6g \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$CP" dev.dl4jfms.examples.bench.CaptureOverheadBenchmark "$@"
