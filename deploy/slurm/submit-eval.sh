#!/bin/bash
# Submits a sharded evaluation: SHARDS array tasks of eval-shards.sbatch and
# the merge job that runs when all of them have succeeded (afterok).
#
#   deploy/slurm/submit-eval.sh OUT SHARDS EVAL_ARGS [MERGE_ARGS]
#
#   deploy/slurm/submit-eval.sh eval-a 8 \
#       "-checkpoint runs/train-a/best.safetensors -scorer pt_inception-2015-12-05-6726825d.pth" \
#       "-fid_stat fid_stats_cifar10_train.npz"
#   COMMAND=fidstats deploy/slurm/submit-eval.sh stats-cifar10 8 \
#       "-dataset cifar10 -data_dir cifar-10-batches-bin -scorer pt_inception-2015-12-05-6726825d.pth"
#
# Extra sbatch options (partition, account, ...) go in SBATCH_OPTS. Prints
# the two job ids.
set -euo pipefail
if [ $# -lt 3 ]; then
    sed -n '2,15p' "$0" >&2
    exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
export OUT="$1" SHARDS="$2" EVAL_ARGS="$3" MERGE_ARGS="${4:-}"
export AUTOGAN_BIN="${AUTOGAN_BIN:-$PWD/bin}" COMMAND="${COMMAND:-eval}"
mkdir -p "$OUT"
# shellcheck disable=SC2086 # SBATCH_OPTS holds several options
array=$(sbatch --parsable ${SBATCH_OPTS:-} --array="0-$((SHARDS - 1))" \
    --output="$OUT/shard-%a.log" "$here/eval-shards.sbatch")
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_OPTS:-} --dependency="afterok:$array" --kill-on-invalid-dep=yes \
    --output="$OUT/merge.log" "$here/eval-merge.sbatch")
echo "$array $merge"
