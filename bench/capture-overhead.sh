#!/usr/bin/env bash
# Capture-overhead benchmark (see docs/benchmarks.md). Extra arguments go to the benchmark, e.g. --reps 12.
exec "$(dirname "$0")/run-java-main.sh" dev.dl4jfms.examples.bench.CaptureOverheadBenchmark "$@"
