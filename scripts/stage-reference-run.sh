#!/usr/bin/env bash
# Copy what straxer needs to reprocess a reference run into a fresh folder: the run's
# raw_records, its straxen configuration (RUN-config.json) and every file that configuration
# names (resource://NAME: PMT gains, hit thresholds, maps).
# Usage: scripts/stage-reference-run.sh RUN DIR   e.g. scripts/stage-reference-run.sh 012100 reprocess
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 RUN DIR   (e.g. $0 012100 reprocess)" >&2
  exit 2
fi
run=$1 dir=$2
root=$(cd "$(dirname "$0")/.." && pwd)
reference=${STRAXTS_REFERENCE:-$root/../shared/reference}
src=$(ls -d "$reference"/*"$run"/strax_data 2>/dev/null | head -1 || true)
if [ -z "$src" ]; then
  echo "$0: no reference run $run under $reference (set STRAXTS_REFERENCE to its folder)" >&2
  exit 2
fi
config="$src/$run-config.json"
[ -f "$config" ] || { echo "$0: $config is missing" >&2; exit 2; }
mkdir -p "$dir"
cp -r "$src/$run"-raw_records-* "$dir/"
cp "$config" "$dir/"
for f in $(grep -o 'resource://[^?"]*' "$config" | sed 's#resource://##' | sort -u); do
  cp "$src/$f" "$dir/"
done
echo "staged run $run from $src in $dir:"
ls "$dir"
