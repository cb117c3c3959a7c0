#!/usr/bin/env bash
# Re-resolve one pinned requirements file from its unpinned input.
#
#   tools/refresh_requirements.sh PYTHON requirements/dev.in requirements/dev.txt
#
# Creates a throw-away virtualenv with PYTHON, installs the newest versions that satisfy the
# .in file together with the twin (twin/pyproject.toml, so the twin's own dependencies get
# pinned too), and writes `pip freeze` (minus pip itself and the twin) to the output file.
# `make requirements` runs it for both files; review the diff, run `make test`, commit.
set -euo pipefail

if [ $# -ne 3 ]; then
    echo "usage: $0 PYTHON INPUT.in OUTPUT.txt" >&2
    exit 2
fi
python=$1
input=$2
output=$3
root=$(cd "$(dirname "$0")/.." && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/scada-pins.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$python" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet --upgrade pip
"$tmp/venv/bin/python" -m pip install --quiet -r "$input"
"$tmp/venv/bin/python" -m pip install --quiet --no-build-isolation -e "$root/twin"

version=$("$tmp/venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
{
    echo "# Pinned by tools/refresh_requirements.sh from $(basename "$input") with Python $version."
    echo "# Do not edit by hand: change $(basename "$input") and run \`make requirements\`."
    "$tmp/venv/bin/python" -m pip freeze --all --exclude scada-twin
} > "$output.new"
mv "$output.new" "$output"
echo "wrote $output ($(grep -vc '^#' "$output") pins, Python $version)"
