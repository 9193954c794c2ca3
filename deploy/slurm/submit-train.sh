#!/bin/bash
# Submits the training of the top-K architectures of a search as a job
# array, and a report job that runs when all of them have succeeded
# (afterok) and names the best (RUN/train/report.txt):
#
#   deploy/slurm/submit-train.sh RUN K [TRAIN_ARGS]
#   deploy/slurm/submit-train.sh runs/search-paper 5
#
# Extra sbatch options go in SBATCH_OPTS. Prints the two job ids.
set -euo pipefail
if [ $# -lt 2 ]; then
    sed -n '2,9p' "$0" >&2
    exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
export RUN="$1" TOP="$2"
[ $# -ge 3 ] && export TRAIN_ARGS="$3"
export AUTOGAN_BIN="${AUTOGAN_BIN:-$PWD/bin}"
mkdir -p "$RUN/train"
# shellcheck disable=SC2086 # SBATCH_OPTS holds several options
array=$(sbatch --parsable ${SBATCH_OPTS:-} --array="0-$((TOP - 1))" \
    --output="$RUN/train/task%a.log" "$here/train-topk.sbatch")
# shellcheck disable=SC2086
report=$(sbatch --parsable ${SBATCH_OPTS:-} --dependency="afterok:$array" --kill-on-invalid-dep=yes \
    --job-name=autogan-report --time=00:10:00 --output="$RUN/train/report.txt" \
    --wrap="\"$AUTOGAN_BIN/train\" report \"$RUN\"")
echo "$array $report"
