#!/usr/bin/env bash
# Surrogate cost against its yardstick, in one run (docs/benchmarks.md, "Surrogate cost"): CPU time of one epoch of
# the benchmark MLP, then one suggestion (warm refit + scoring 1,000 candidates) at n = 100…1000 in DOUBLE and
# FLOAT. Run it on an otherwise idle machine; OMP_NUM_THREADS=1 as in studies.
# Usage: bench/surrogate-cost.sh [extra SurrogateCostBenchmark arguments, e.g. --repeats 1]
set -euo pipefail
here="$(dirname "$0")"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
echo "# $(date -u +%FT%TZ), $(nproc --all) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$here/run-java-main.sh" dev.dl4jfms.examples.bench.surrogate.MlpEpochCostBenchmark --epochs 5
for dtype in DOUBLE FLOAT; do
  "$here/run-java-main.sh" dev.dl4jfms.examples.bench.surrogate.SurrogateCostBenchmark --sizes 100,250,500,1000 --dtype "$dtype" \
      --repeats 3 --split true "$@"
done
echo "# done $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
