#!/usr/bin/env bash
# Installs Debian's Chromium for the browser end-to-end tests (test/e2e) when it is missing.
exec bash "$(dirname "$0")/install-debian-packages.sh" chromium
