#!/usr/bin/env bash
# Run by `npm test` before the suite: finds the system programs some tests drive, installing them
# from Debian's packages when missing. The viewer tests drive headless Chromium (playwright-core
# with Debian's `chromium`; playwright's own browser download cannot be used); the dev server's
# --database-url tests start a throwaway PostgreSQL (initdb + postgres).
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "npm test needs: ${missing[*]} (not found, and no apt-get to install it). Install them, then run npm test again." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "npm test needs: ${missing[*]}. Run: sudo apt-get install -y ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "npm test: installing ${missing[*]} from Debian's packages (first run only)..." >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
