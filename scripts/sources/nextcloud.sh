#!/usr/bin/env bash
# Unpack the Nextcloud 34.0.1 release tree from a bare git mirror of the
# public repository nareshbaburoddam/nextcloud-latest (which holds the official
# release archive, unchanged, in its folder nextcloud/) and print the path to
# give fixtures/servers/nextcloud.sh as NEXTCLOUD_SRC.
#
#   scripts/sources/nextcloud.sh [MIRROR_GIT_DIR]
#
# MIRROR_GIT_DIR defaults to /work/.mirror/nareshbaburoddam+nextcloud-latest/repo.
# Output: ${XDG_CACHE_HOME:-$HOME/.cache}/calspec/sources/nextcloud-34.0.1/nextcloud
# (stdout: that path only).  Idempotent: an existing tree with the right
# version.php is reused.
#
# The mirror lacks the 30 blobs of 4 MiB or more (source maps, fonts, skeleton
# files, password_policy word lists, dist/core-common.js); CalDAV needs none of
# them, so they are left out, except the NotoSans fonts that `occ user:add`
# uses to draw an avatar: those are copied from Debian's fonts-noto-core.
set -euo pipefail

COMMIT=fc9e833ae0a75e5efb5f2bc88b028c556ea23b1c
VERSION='array(34,0,1,2)'
mirror=${1:-/work/.mirror/nareshbaburoddam+nextcloud-latest/repo}
dest=${XDG_CACHE_HOME:-$HOME/.cache}/calspec/sources/nextcloud-34.0.1
tree=$dest/nextcloud
fonts=/usr/share/fonts/truetype/noto

say() { printf 'sources/nextcloud: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

if [[ -f $tree/version.php ]] && grep -qF "$VERSION" "$tree/version.php"; then
  printf '%s\n' "$tree"
  exit 0
fi
git --git-dir="$mirror" cat-file -e "$COMMIT^{commit}" 2>/dev/null ||
  die "$mirror is not a git mirror holding commit $COMMIT of nareshbaburoddam/nextcloud-latest"
for f in NotoSans-Regular.ttf NotoSans-Bold.ttf; do
  [[ -f $fonts/$f ]] || die "$fonts/$f missing: apt-get install fonts-noto-core"
done

tmp=$dest.tmp.$$
trap 'rm -rf "$tmp"' EXIT
rm -rf "$tmp"
mkdir -p "$tmp"
# git archive stops at the first blob the mirror lacks, so: read the tree
# into a private index and check out only the files whose blob is present.
export GIT_DIR=$mirror GIT_INDEX_FILE=$tmp/.index GIT_WORK_TREE=$tmp
# checkout-index takes the paths relative to the current directory.
cd "$tmp"
git read-tree "$COMMIT"
git -c core.quotePath=false ls-files -s nextcloud | awk -F'\t' '{ split($1, a, " "); print a[2] "\t" $2 }' >"$tmp/.listing"
cut -f1 "$tmp/.listing" | git cat-file --batch-check | awk '$2 == "missing" { print $1 }' >"$tmp/.missing"
say "extracting $COMMIT ($(wc -l <"$tmp/.missing") absent large files left out)"
awk -F'\t' 'NR == FNR { m[$1] = 1; next } !($1 in m) { print $2 }' "$tmp/.missing" "$tmp/.listing" |
  git checkout-index --prefix="$tmp/" --stdin
unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE
rm -f "$tmp/.index" "$tmp/.listing" "$tmp/.missing"
grep -qF "$VERSION" "$tmp/nextcloud/version.php" || die "unexpected version.php in $COMMIT"
cp "$fonts/NotoSans-Regular.ttf" "$fonts/NotoSans-Bold.ttf" "$tmp/nextcloud/core/fonts/"
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
printf '%s\n' "$tree"
