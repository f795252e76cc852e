#!/usr/bin/env bash
# Rebuilds the prior that ships with dl4j-fms (`--prior shipped`, docs/transfer.md): fms-stats meta-trained on all six
# transfer-family hubs (built here first if missing, resumable). Usage: bench/shipped-prior.sh [hub folder]
set -euo pipefail
cd "$(dirname "$0")/.."
HUBS="${1:-hubs-build}"
FMS="${FMS:-./fms}"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
FAMILY=(fm-top5 fm-bottom5 fm-sgd fm-deep fm-small fm-fullres)
sources=()
for h in "${FAMILY[@]}"; do
  $FMS hub build --space "hubs/family/$h.yaml" --store "$HUBS/$h.db" --workers 2
  sources+=(--store "$HUBS/$h.db")
done
out=dl4j-fms-examples/src/main/resources/dev/dl4jfms/priors/family-fms-stats.fmsprior
mkdir -p "$(dirname "$out")"
$FMS meta-train "${sources[@]}" --forecaster fms-stats --steps 3000 --seed 1 --out "$out"
