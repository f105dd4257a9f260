#!/usr/bin/env bash
# Waits for the load Job of job.yaml to end, takes each pod's report from its log, in the order of
# the completion indexes, and merges them with `apicli bench merge`: one report on stdout, and one
# exit code for the whole run, the merge's own (0; 3 when an --expect is not met by the merged
# run; 2 when a report is bad). This script's own failures are 1 (the Job failed, or did not end
# in time, or a pod has no report) and 2 (a bad option).
#
# Usage: deploy/kubernetes/collect.sh [--job NAME] [--namespace NS] [--timeout SECONDS]
#            [--out DIR] [MERGE-OPTION…]
#   --job NAME         the Job (default apicli-bench)
#   --namespace NS     its namespace (default: kubectl's current one)
#   --timeout SECONDS  how long to wait for the Job to end (default 3600)
#   --out DIR          where to keep the reports, NAME-I.json (default: a new temporary folder)
#   MERGE-OPTION       passed to `apicli bench merge`: --expect 'p99<5ms', -o json, …
#
# Needs kubectl, pointed at the cluster, and apicli (or the command that APICLI names). The logs
# are there until the Job is deleted (ttlSecondsAfterFinished in job.yaml), and the reports kept in
# --out after that.
set -euo pipefail

usage() {
    sed -n '8,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
}
die() {
    echo "collect: $*" >&2
    exit 1
}

job=apicli-bench
namespace=
timeout=3600
out=
merge_args=()
# An option's value, or a usage error when it is missing.
need_value() {
    if (($# < 2)); then
        echo "collect: $1 needs a value" >&2
        usage
        exit 2
    fi
}
while (($# > 0)); do
    case $1 in
    --job | --namespace | --timeout | --out) need_value "$@" ;;
    esac
    case $1 in
    --job) job=$2 && shift ;;
    --namespace) namespace=$2 && shift ;;
    --timeout) timeout=$2 && shift ;;
    --out) out=$2 && shift ;;
    --job=*) job=${1#*=} ;;
    --namespace=*) namespace=${1#*=} ;;
    --timeout=*) timeout=${1#*=} ;;
    --out=*) out=${1#*=} ;;
    -h | --help) usage && exit 0 ;;
    *) merge_args+=("$1") ;;
    esac
    shift
done
[[ $timeout =~ ^[0-9]+$ ]] || { echo "collect: --timeout takes whole seconds, not '$timeout'" >&2; exit 2; }

kubectl=(kubectl)
[[ -z $namespace ]] || kubectl+=(--namespace "$namespace")
read -ra apicli <<<"${APICLI:-apicli}"
command -v "${kubectl[0]}" >/dev/null || die "kubectl not found"
command -v "${apicli[0]}" >/dev/null || die "${apicli[0]} not found (install it with cargo install --path ., or name it in APICLI)"

# --- wait for the Job to end --------------------------------------------------------------------
# Complete and Failed are the conditions a Job ends with; polling sees either (kubectl wait waits
# for one condition only, and would sit out its whole timeout on a failed Job).
deadline=$((SECONDS + timeout))
while :; do
    ended=$("${kubectl[@]}" get "job/$job" \
        -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{"\n"}{end}') \
        || die "cannot read job/$job"
    if grep -qx Complete <<<"$ended"; then
        break
    fi
    if grep -qx Failed <<<"$ended"; then
        echo "collect: job/$job failed; its failed pods, and the end of their logs:" >&2
        failed=$("${kubectl[@]}" get pods -l "batch.kubernetes.io/job-name=$job" \
            --field-selector=status.phase=Failed -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}') || true
        while read -r pod; do
            [[ -n $pod ]] || continue
            echo "--- $pod" >&2
            "${kubectl[@]}" logs "pod/$pod" -c bench --tail=5 >&2 || true
        done <<<"$failed"
        exit 1
    fi
    ((SECONDS < deadline)) || die "job/$job has not ended after ${timeout}s"
    sleep 5
done

# --- one report per completion index ------------------------------------------------------------
parts=$("${kubectl[@]}" get "job/$job" -o jsonpath='{.spec.completions}') || die "cannot read job/$job"
[[ $parts =~ ^[1-9][0-9]*$ ]] || die "job/$job has no completion count"
listed=$("${kubectl[@]}" get pods -l "batch.kubernetes.io/job-name=$job" \
    --field-selector=status.phase=Succeeded \
    -o jsonpath='{range .items[*]}{.metadata.annotations.batch\.kubernetes\.io/job-completion-index}{" "}{.metadata.name}{"\n"}{end}') \
    || die "cannot list the pods of job/$job"
declare -A pod_of
while read -r index pod; do
    if [[ -n $index ]]; then
        pod_of[$index]=$pod
    fi
done <<<"$listed"

if [[ -z $out ]]; then
    out=$(mktemp -d -t "$job.XXXXXX")
fi
mkdir -p "$out"
reports=()
for ((i = 0; i < parts; i++)); do
    pod=${pod_of[$i]:-}
    [[ -n $pod ]] || die "job/$job has no succeeded pod with completion index $i (deleted already?)"
    report=$out/$job-$i.json
    # The log holds stdout and stderr together: the report is its one line that is a JSON object.
    log=$("${kubectl[@]}" logs "pod/$pod" -c bench) || die "cannot read the log of pod/$pod"
    grep '^{' <<<"$log" >"$report" || die "pod/$pod (index $i) printed no report"
    lines=$(wc -l <"$report")
    ((lines == 1)) || die "pod/$pod (index $i) printed $lines JSON lines, not one report"
    reports+=("$report")
done
echo "collect: $parts reports of job/$job in $out" >&2

# --- one report, one exit code ------------------------------------------------------------------
status=0
"${apicli[@]}" bench merge "${merge_args[@]}" "${reports[@]}" || status=$?
exit "$status"
