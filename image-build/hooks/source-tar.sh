#!/bin/bash
# The application's source as git sees it (tracked and new files, nothing ignored), so a
# stray .venv, database or build folder never ends up in the wheel.
#   source-tar.sh OUT.tar
set -euo pipefail
out=$1
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
git ls-files -z --cached --others --exclude-standard \
    | tar --no-recursion --ignore-failed-read --null --sort=name --owner=0 --group=0 \
          --numeric-owner -cf "$out" -T -
