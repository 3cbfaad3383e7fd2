#!/usr/bin/env bash
# Replaces .ci/advisory-db/ with the crates/ of an advisory-db checkout:
#   .ci/update-advisory-db.sh ~/src/advisory-db
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:?give the path of a checkout of https://github.com/rustsec/advisory-db}
commit=$(git -C "$src" rev-parse HEAD)
date=$(git -C "$src" show -s --format=%cI HEAD)
rm -rf .ci/advisory-db/crates
(cd "$src" && git archive HEAD crates LICENSE.txt) | tar x -C .ci/advisory-db
sed -i "s|its crates/ folder at commit [0-9a-f]* ([^)]*)|its crates/ folder at commit $commit ($date)|" .ci/advisory-db/SNAPSHOT
echo "advisory-db snapshot now at $commit ($date)"
