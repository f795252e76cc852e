#!/usr/bin/env bash
# Segment-overhead benchmark: one-epoch resumable segments vs. a plain fit loop. Extra arguments go to the
# benchmark, e.g. --reps 12 --examples 10000.
exec "$(dirname "$0")/run-java-main.sh" dev.dl4jfms.examples.bench.SegmentOverheadBenchmark "$@"
