#!/usr/bin/env bash
# Installs the Debian packages the tests drive as outside programs, when their command is missing:
#
#   bash scripts/install-debian-packages.sh chromium sqlite3
#
# Each argument is a package whose command has the same name. Packages already installed cost
# nothing (no apt-get run at all); missing ones are installed in one quiet apt-get run (root needed),
# whose log is printed only when it fails.
set -euo pipefail

missing=()
for package in "$@"; do
  command -v "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-debian-packages: installing ${missing[*]}" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "install-debian-packages: could not install ${missing[*]}" >&2
  exit 1
fi
