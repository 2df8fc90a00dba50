#!/usr/bin/env bash
# Regenerate the committed interop matrix in ONE command:
#   starts Radicale, Xandikos, the Baïkal stack (sabre/dav), DAViCal and Cyrus (fixtures/servers/),
#   runs every suite against each (fixtures/targets/local.yaml, with the server profiles and their
#   baselines), writes reports/interop/ (matrix.json, index.html, summary.md, README.md with the
#   date and the server versions), and stops the servers again.
#
# Env: the usual ports (RADICALE_PORT, XANDIKOS_PORT, SABRE_PORT, DAVICAL_PORT, CYRUS_PORT,
# CYRUS_IMAP_PORT, BAIKAL_PORT, BAIKAL_SRC, NEXTCLOUD_PORT, NEXTCLOUD_SRC) and CALSPEC_STATE are
# passed through to the start scripts; OUT (default reports/interop), SERVERS (default all five,
# plus baikal and nextcloud when their source trees are present), JOBS (default 4).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=${OUT:-reports/interop}
servers=${SERVERS:-radicale xandikos sabre davical cyrus}
# Baïkal 0.12 is not a Debian package: it joins the default set only when its source tree is there.
baikal_src=${BAIKAL_SRC:-${XDG_CACHE_HOME:-$HOME/.cache}/calspec/sources/baikal-0.12.1}
if [[ -z ${SERVERS:-} ]]; then
  if [[ -f $baikal_src/Core/Distrib.php || -f $baikal_src/baikal/Core/Distrib.php ]]; then
    servers+=" baikal"
  else
    echo "interop: skipping baikal: no Baïkal 0.12.1 tree at $baikal_src (set BAIKAL_SRC to an unpacked baikal-0.12.1.zip, or run scripts/sources/baikal.sh MIRRORS)" >&2
  fi
fi
# Nextcloud 34.0.1 likewise (scripts/sources/nextcloud.sh unpacks the release tree).
nextcloud_src=${NEXTCLOUD_SRC:-${XDG_CACHE_HOME:-$HOME/.cache}/calspec/sources/nextcloud-34.0.1/nextcloud}
if [[ -z ${SERVERS:-} ]]; then
  if [[ -f $nextcloud_src/version.php && -f $nextcloud_src/occ ]]; then
    servers+=" nextcloud"
  else
    echo "interop: skipping nextcloud: no Nextcloud 34.0.1 tree at $nextcloud_src (set NEXTCLOUD_SRC to the unpacked release archive's nextcloud/ folder, or run scripts/sources/nextcloud.sh MIRROR)" >&2
  fi
fi
jobs=${JOBS:-4}
# shellcheck disable=SC2086
read -r -a names <<<"$servers"

stop_all() { fixtures/servers/all.sh stop "${names[@]}" >/dev/null 2>&1 || true; }
trap stop_all EXIT
trap 'exit 130' INT TERM

fixtures/servers/all.sh start "${names[@]}" >&2

# From source (tsx), so the matrix always reflects the working tree's suites and code.
calspec=(npx --no-install tsx src/cli/main.ts)

only=()
for n in "${names[@]}"; do only+=(--only "$([[ $n == sabre ]] && echo sabre-1.8 || echo "$n")"); done

mkdir -p "$out"
rc=0
# --compact: only failing steps keep their exchanges, so the committed files stay a few MB.
"${calspec[@]}" matrix fixtures/targets/local.yaml -o "$out" -j "$jobs" --compact "${only[@]}" || rc=$?
# The per-server results.json duplicate matrix.json (baseline update reads it with --target): keep the commit small.
for n in "${only[@]}"; do [[ $n == --only ]] || rm -rf "${out:?}/$n"; done

versions=$(dpkg-query -W -f='${Package} ${Version}\n' radicale xandikos php-sabre-dav davical cyrus-imapd php8.2-cli postgresql-15 2>/dev/null || true)
{
  echo "# Interop matrix"
  echo
  echo "Generated $(date -u +%Y-%m-%dT%H:%MZ) by \`scripts/interop.sh\` (calspec $(node -p 'require("./package.json").version'), $(git rev-parse --short HEAD 2>/dev/null || echo 'no git')), suites as of that commit."
  echo
  echo "| file | what |"
  echo "|---|---|"
  echo "| [summary.md](summary.md) | counts per server and the scenarios where servers disagree |"
  echo "| [index.html](index.html) | the interactive matrix (open in a browser; self-contained) |"
  echo "| [matrix.json](matrix.json) | every run, every exchange (MatrixResults) |"
  echo
  echo "Servers (Debian 12 packages, \`dpkg-query -W\`):"
  echo
  echo '```'
  echo "$versions"
  echo '```'
  if [[ " ${names[*]} " == *" nextcloud "* ]]; then
    echo
    echo "Nextcloud (not a Debian package; the release tree's version.php):"
    echo
    echo '```'
    grep -E "^\\\$OC_(VersionString|Build)" "$nextcloud_src/version.php" 2>/dev/null || echo "nextcloud: version unavailable"
    echo '```'
  fi
  if [[ " ${names[*]} " == *" baikal "* ]]; then
    echo
    echo "Baïkal (not a Debian package; \`fixtures/servers/baikal.sh versions\`, commits of the sources):"
    echo
    echo '```'
    fixtures/servers/baikal.sh versions 2>/dev/null || echo "baikal: versions unavailable"
    echo '```'
  fi
  echo
  echo "Each server ran with its profile in \`fixtures/profiles/\` (features, quirks, baseline of known"
  echo "failures): cells are pass / non-strict / fail / skipped / expected-fail / error / informational."
  echo "\`expected-fail\` means the failure is in the profile's baseline; a \`fail\` is a failure the"
  echo "baseline does not know (a new suite scenario or a regression)."
  echo
  echo "## Regenerate"
  echo
  echo '```sh'
  echo 'scripts/interop.sh            # starts the servers, runs the matrix, writes reports/interop/, stops them'
  echo '# then, if the suites changed, refresh a baseline from the new run and re-run:'
  echo 'calspec baseline update --results reports/interop/matrix.json --target radicale --profile radicale'
  echo '```'
  echo
  echo "See docs/interop.md for how discover grades and how baselines gate CI."
} >"$out/README.md"
echo "interop: wrote $out/ (exit $rc)" >&2
exit "$rc"
