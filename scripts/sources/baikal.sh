#!/usr/bin/env bash
# Assemble a Baïkal 0.12.1 tree equivalent to the unpacked release archive
# (baikal-0.12.1.zip: Core/ html/ config/ Specific/db/ vendor/) from local git
# mirrors, for machines that cannot download the zip or run composer.
#
#   scripts/sources/baikal.sh [MIRRORS [OUT]]
#
# MIRRORS (or $CALSPEC_MIRRORS): a directory holding one bare git repository per
#   package, as MIRRORS/<owner>+<name>/repo or MIRRORS/<owner>+<name>(.git).
# OUT (or $BAIKAL_SRC): where the tree goes; default
#   ${XDG_CACHE_HOME:-$HOME/.cache}/calspec/sources/baikal-0.12.1.
# Prints the tree's path (the only stdout line); progress goes to stderr.
#
# vendor/ holds the packages Baïkal's composer.lock would install for the DAV
# endpoint, each exported with `git archive` (which honours export-ignore, as
# composer's dist archives do), a small autoloader with the packages' PSR-4 /
# PSR-0 maps and `files`, and vendor/composer/installed.json (composer's format:
# name, version, source commit) so that the versions can be read back the same
# way from this tree and from a real release. twig and the admin UI assets are
# left out: only html/dav.php is served.
set -euo pipefail

BAIKAL_VERSION=0.12.1
# package  mirror  tag  autoload (psr4:NS=DIR, psr0:NS=DIR, file:PATH; comma-separated)
PACKAGES=(
  "sabre/dav sabre-io+dav 4.7.1 psr4:Sabre\\=lib/"
  "sabre/vobject sabre-io+vobject 4.6.0 psr4:Sabre\\VObject\\=lib/"
  "sabre/http sabre-io+http 5.1.13 psr4:Sabre\\HTTP\\=lib/,file:lib/functions.php"
  "sabre/event sabre-io+event 5.1.9 psr4:Sabre\\Event\\=lib/,file:lib/coroutine.php,file:lib/Loop/functions.php,file:lib/Promise/functions.php"
  "sabre/xml sabre-io+xml 2.2.11 psr4:Sabre\\Xml\\=lib/,file:lib/Deserializer/functions.php,file:lib/Serializer/functions.php"
  "sabre/uri sabre-io+uri 2.3.4 psr4:Sabre\\Uri\\=lib/,file:lib/functions.php"
  "psr/log php-fig+log 3.0.2 psr4:Psr\\Log\\=src/"
  "symfony/yaml symfony+yaml v7.0.3 psr4:Symfony\\Component\\Yaml\\="
  "symfony/polyfill-ctype symfony+polyfill-ctype v1.29.0 psr4:Symfony\\Polyfill\\Ctype\\=,file:bootstrap.php"
)

say() { printf 'sources/baikal: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 2; }

mirrors=${1:-${CALSPEC_MIRRORS:-}}
out=${2:-${BAIKAL_SRC:-${XDG_CACHE_HOME:-$HOME/.cache}/calspec/sources/baikal-$BAIKAL_VERSION}}
needed=sabre-io+Baikal
for spec in "${PACKAGES[@]}"; do read -r _ m _ _ <<<"$spec"; needed+=" $m"; done
[[ -n $mirrors ]] || die "usage: $0 MIRRORS [OUT] (or set CALSPEC_MIRRORS): MIRRORS holds one bare git mirror per package, as MIRRORS/<owner>+<name>/repo; needed: $needed"
[[ -d $mirrors ]] || die "no such directory: $mirrors"
command -v git >/dev/null || die "git is needed"

# git_dir NAME: the bare repository of one mirror.
git_dir() {
  local c
  for c in "$mirrors/$1/repo" "$mirrors/$1" "$mirrors/$1.git"; do
    if git --git-dir="$c" rev-parse --git-dir >/dev/null 2>&1; then printf '%s' "$c"; return 0; fi
  done
  die "no git mirror $1 under $mirrors"
}

# commit_of GITDIR TAG
commit_of() { git --git-dir="$1" rev-parse --verify -q "$2^{commit}" || die "$1 has no tag $2"; }

# export GITDIR TAG DEST: the tag's tree without export-ignored paths.
export_tree() {
  mkdir -p "$3"
  git --git-dir="$1" archive --format=tar "$2" | tar -x -C "$3"
}

if [[ -f $out/Core/Distrib.php && -f $out/vendor/autoload.php && -f $out/vendor/composer/installed.json ]]; then
  say "already assembled: $out"
  printf '%s\n' "$out"
  exit 0
fi

tmp="$out.part.$$"
trap 'rm -rf "$tmp"' EXIT
rm -rf "$tmp"
mkdir -p "$tmp"

bk=$(git_dir sabre-io+Baikal)
bk_commit=$(commit_of "$bk" "$BAIKAL_VERSION")
say "Baïkal $BAIKAL_VERSION ($bk_commit)"
# The release's Makefile (dist): Core html LICENSE README.md, empty
# Specific/db/ and config/ (twig, bootstrap and font-awesome are not needed by dav.php).
git --git-dir="$bk" archive --format=tar "$BAIKAL_VERSION" Core html LICENSE README.md config/baikal.yaml.dist | tar -x -C "$tmp"
mkdir -p "$tmp/Specific/db" "$tmp/config"
: >"$tmp/Specific/db/.empty"
: >"$tmp/config/.empty"
# Specific/.htaccess is part of the repository's Specific/ (deny from all).
git --git-dir="$bk" show "$BAIKAL_VERSION:Specific/.htaccess" >"$tmp/Specific/.htaccess" 2>/dev/null || true

psr4='' psr0='' files='' installed=''
psr0+="    'Baikal\\\\' => \$root . '/Core/Frameworks/',"$'\n'
psr0+="    'Flake\\\\' => \$root . '/Core/Frameworks/',"$'\n'
psr0+="    'Formal\\\\' => \$root . '/Core/Frameworks/',"$'\n'
for spec in "${PACKAGES[@]}"; do
  read -r name mirror tag autoload <<<"$spec"
  gd=$(git_dir "$mirror")
  commit=$(commit_of "$gd" "$tag")
  say "$name $tag ($commit)"
  export_tree "$gd" "$tag" "$tmp/vendor/$name"
  IFS=, read -r -a entries <<<"$autoload"
  for e in "${entries[@]}"; do
    kind=${e%%:*} rest=${e#*:}
    case $kind in
      psr4)
        ns=${rest%%=*} dir=${rest#*=}
        psr4+="    '${ns//\\/\\\\}' => \$vendor . '/$name/$dir',"$'\n' ;;
      file) files+="require_once \$vendor . '/$name/$rest';"$'\n' ;;
    esac
  done
  installed+="${installed:+,}"$'\n'"    {\"name\": \"$name\", \"version\": \"${tag#v}\", \"source\": {\"type\": \"git\", \"url\": \"https://github.com/${mirror/+//}.git\", \"reference\": \"$commit\"}}"
done

mkdir -p "$tmp/vendor/composer"
printf '{\n  "packages": [%s\n  ],\n  "dev": false,\n  "calspec": {"assembled-by": "scripts/sources/baikal.sh", "baikal": {"version": "%s", "reference": "%s"}}\n}\n' \
  "$installed" "$BAIKAL_VERSION" "$bk_commit" >"$tmp/vendor/composer/installed.json"

# The autoloader: longest namespace prefix first (Sabre\VObject\ before
# Sabre\), PSR-0 for Baïkal's own frameworks as in its composer.json.
cat >"$tmp/vendor/autoload.php" <<PHP
<?php
// Written by calspec scripts/sources/baikal.sh in place of composer's autoloader:
// the PSR-4 / PSR-0 maps and "files" of the packages' composer.json.
\$vendor = __DIR__;
\$root = dirname(__DIR__);
\$calspecPsr4 = [
$psr4];
\$calspecPsr0 = [
$psr0];
uksort(\$calspecPsr4, fn (\$a, \$b) => strlen(\$b) <=> strlen(\$a));
spl_autoload_register(function (string \$class) use (\$calspecPsr4, \$calspecPsr0): void {
    foreach (\$calspecPsr4 as \$prefix => \$dir) {
        if (strncmp(\$class, \$prefix, strlen(\$prefix)) === 0) {
            \$file = \$dir . str_replace('\\\\', '/', substr(\$class, strlen(\$prefix))) . '.php';
            if (is_file(\$file)) {
                require \$file;
                return;
            }
        }
    }
    foreach (\$calspecPsr0 as \$prefix => \$dir) {
        if (strncmp(\$class, \$prefix, strlen(\$prefix)) === 0) {
            \$file = \$dir . str_replace(['\\\\', '_'], '/', \$class) . '.php';
            if (is_file(\$file)) {
                require \$file;
                return;
            }
        }
    }
});
$files
PHP

rm -rf "$out"
mkdir -p "$(dirname "$out")"
mv "$tmp" "$out"
trap - EXIT
say "assembled in $out"
printf '%s\n' "$out"
