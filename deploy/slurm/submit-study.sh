#!/bin/bash
# Submits a whole study (cmd/study) to Slurm: it creates the study (its plan
# and declared endpoint), then submits the reference statistics, the
# searches as a job array (one task per strategy and seed), the trainings
# from scratch as a job array once the searches and the reference have
# succeeded (afterok), and the job that writes the document last:
#
#   deploy/slurm/submit-study.sh DIR PRESET DATASET [STUDY_ARGS]
#   deploy/slurm/submit-study.sh runs/study-paper paper cifar10 "-data_dir cifar-10-batches-bin -scorer pt_inception-2015-12-05-6726825d.pth"
#
# Extra sbatch options go in SBATCH_OPTS. Prints the four job ids.
set -euo pipefail
if [ $# -lt 3 ]; then
    sed -n '2,12p' "$0" >&2
    exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
export STUDY="$1"
export AUTOGAN_BIN="${AUTOGAN_BIN:-$PWD/bin}"
if [ ! -f "$STUDY/study.json" ]; then # submitted again: the study keeps its plan
    # shellcheck disable=SC2086 # the fourth argument holds several flags
    "$AUTOGAN_BIN/study" -dir "$STUDY" -preset "$2" -dataset "$3" ${4:-} -create >&2 # stdout: only the job ids
fi
searches=$("$AUTOGAN_BIN/study" -dir "$STUDY" -count search)
trainings=$("$AUTOGAN_BIN/study" -dir "$STUDY" -count train)
mkdir -p "$STUDY/logs"
# shellcheck disable=SC2086 # SBATCH_OPTS holds several options
ref=$(PIECE=reference sbatch --parsable ${SBATCH_OPTS:-} --output="$STUDY/logs/reference.log" "$here/study.sbatch")
# shellcheck disable=SC2086
search=$(PIECE=search sbatch --parsable ${SBATCH_OPTS:-} --array="0-$((searches - 1))" \
    --output="$STUDY/logs/search-%a.log" "$here/study.sbatch")
# shellcheck disable=SC2086
train=$(PIECE=train sbatch --parsable ${SBATCH_OPTS:-} --array="0-$((trainings - 1))" \
    --dependency="afterok:$search:$ref" --kill-on-invalid-dep=yes \
    --output="$STUDY/logs/train-%a.log" "$here/study.sbatch")
# shellcheck disable=SC2086
doc=$(PIECE=document sbatch --parsable ${SBATCH_OPTS:-} --dependency="afterok:$train" --kill-on-invalid-dep=yes \
    --output="$STUDY/logs/document.log" "$here/study.sbatch")
echo "$ref $search $train $doc"
