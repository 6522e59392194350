#!/usr/bin/env bash
# Make sure headless Chromium is on the machine (the docs-site screenshot test uses it): installs Debian's
# `chromium` package when /usr/bin/chromium is missing (needs root), like with-postgres.sh does for PostgreSQL.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "ensure-chromium: chromium is missing and installing it needs root (apt-get install chromium)" >&2
    exit 1
fi
echo "ensure-chromium: installing Debian's chromium package" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
command -v chromium >/dev/null
