#!/usr/bin/env bash
# Runs README's commands (through .ci/run: npm test, the checks, npm run demo -- --once) in a fresh clone of
# this repository's committed HEAD, so nothing in this checkout (node_modules, dist/, caches) can help.
#   bash tools/setup/clean-clone.sh [target-dir]     (default: a new folder under /tmp, removed on success)
set -euo pipefail
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
target=${1:-$(mktemp -d /tmp/smsc-kit-clean.XXXXXX)}
git clone --quiet "$repo" "$target"
echo "clean clone of $(git -C "$target" log --oneline -1) in $target"
start=$SECONDS
cd "$target"
CI=true bash .ci/run
echo "clean clone: README's commands passed in $((SECONDS - start)) s"
[ $# -gt 0 ] || rm -rf "$target"
