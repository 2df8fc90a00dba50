#!/usr/bin/env bash
# Runs calspec for the GitHub Action (action.yml) and the GitLab template; kept out of the YAML so
# it can be run and tested locally with the same environment variables the CI would set.
#
# Inputs (environment):
#   CALSPEC_TARGET, CALSPEC_USER, CALSPEC_PASSWORD  read by calspec itself, so the password never
#                        appears on a command line, in the process list or in this script's output
#   INPUT_PROFILE        profile name or file (-p); its baseline turns known failures into expected-fail
#   INPUT_BASELINE       baseline file (-b), overriding the profile's
#   INPUT_SUITES         suite files/folders, space-separated (default: the bundled suites)
#   INPUT_FILTER         scenario key regex (-f)
#   INPUT_OUTPUT_DIR     report folder (default calspec-report)
#   INPUT_ARGS           extra arguments, word-split (e.g. "--strict --jobs 2")
#   CALSPEC_BIN          command that runs calspec (default: node <action path>/bin/calspec.js)
#   GITHUB_ACTION_PATH   the action's checkout (set by GitHub); else this script's repository
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY  written when set (GitHub); ignored elsewhere
#
# Exit codes are calspec's (src/model/exit-codes.ts): 0 clean, or only failures the baseline
# expects; 1 unexpected failures (a regression against the baseline); 2 bad usage or an invalid
# suite/profile/baseline; 3 target unreachable, TLS or authentication failure, not CalDAV;
# 4 interrupted; 70 calspec internal error. Every code but 0 fails the job: only 1 is a verdict on
# the server, the others mean the run could not be trusted, and the message says which.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
action_path="${GITHUB_ACTION_PATH:-$(cd "$here/../.." && pwd)}"
out="${INPUT_OUTPUT_DIR:-calspec-report}"

if [[ -z "${CALSPEC_TARGET:-}" ]]; then
  echo "calspec action: no target URL (input 'target' / CALSPEC_TARGET)" >&2
  exit 2
fi

if [[ -n "${CALSPEC_BIN:-}" ]]; then
  read -r -a cmd <<<"$CALSPEC_BIN"
else
  cmd=(node "$action_path/bin/calspec.js")
fi

args=(run --out "$out" --reporter console,json,junit,html,markdown)
[[ -n "${INPUT_PROFILE:-}" ]] && args+=(--profile "$INPUT_PROFILE")
[[ -n "${INPUT_BASELINE:-}" ]] && args+=(--baseline "$INPUT_BASELINE")
[[ -n "${INPUT_FILTER:-}" ]] && args+=(--filter "$INPUT_FILTER")
if [[ -n "${INPUT_ARGS:-}" ]]; then
  read -r -a extra <<<"$INPUT_ARGS"
  args+=("${extra[@]}")
fi
if [[ -n "${INPUT_SUITES:-}" ]]; then
  read -r -a suites <<<"$INPUT_SUITES"
  args+=("${suites[@]}")
fi

# Neither the target's credentials nor the password are echoed: only the argument list, which
# holds none of them (the password travels in CALSPEC_PASSWORD).
echo "calspec action: ${args[*]}"
"${cmd[@]}" "${args[@]}"
code=$?

case "$code" in
  0) verdict="passed (no failure outside the baseline)" ;;
  1) verdict="regression: unexpected failures (not in the baseline)" ;;
  2) verdict="error: bad usage or an invalid suite, profile or baseline file" ;;
  3) verdict="error: target unreachable, TLS or authentication failure, or not a CalDAV server" ;;
  4) verdict="error: interrupted" ;;
  *) verdict="error: calspec failed internally (exit $code)" ;;
esac
echo "calspec action: exit $code, $verdict; reports in $out/"

if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  {
    echo "exit-code=$code"
    echo "report-dir=$out"
    echo "junit=$out/junit.xml"
    echo "html=$out/index.html"
  } >>"$GITHUB_OUTPUT"
fi
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  {
    echo "### calspec: $verdict"
    for md in "$out"/*.md; do
      [[ -f "$md" ]] && cat "$md"
    done
  } >>"$GITHUB_STEP_SUMMARY"
fi
exit "$code"
