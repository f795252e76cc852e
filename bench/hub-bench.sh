#!/usr/bin/env bash
# Builds both shipped hubs (resumable) and runs the benchmark comparisons of docs/benchmarks.md.
# Usage: bench/hub-bench.sh [hub folder (default: hubs-build)]
# Takes about an hour per hub build on a 2-core machine; the bench runs take minutes (model-free methods) to
# hours (the deep-kernel GP methods, see docs/benchmarks.md for the sizes used).
set -euo pipefail
cd "$(dirname "$0")/.."
HUBS="${1:-hubs-build}"
# One OpenMP thread per process: the GP surrogate runs 10-100x slower with oversubscribed threads (docs/benchmarks.md).
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
mkdir -p "$HUBS"
for hub in architecture model-selection; do
  ./fms hub build --space "hubs/$hub.yaml" --store "$HUBS/$hub.db" --workers 2
  ./fms hub export --store "$HUBS/$hub.db" --out "$HUBS/$hub.csv"
  # All model-free methods and the peers: 10 seeds, budget 10 x B_max (B_max = 20).
  ./fms bench --hub "$HUBS/$hub.db" --methods random,topk1,hyperband,asha,arbiter-random,arbiter-genetic,optuna-tpe-hb \
    --seeds 10 --budget 200 --out "docs/bench/$hub" --title "$hub hub"
  # The forecasting methods are far slower per step on this CPU: fewer seeds, half the budget, cheap GP schedule.
  ./fms bench --hub "$HUBS/$hub.db" --methods random,hyperband,dyhpo,fms-stats \
    --seeds 3 --budget 100 --surrogate-schedule 1,50,3 --out "docs/bench/$hub-surrogate" --title "$hub hub, forecasting methods"
done
