#!/usr/bin/env bash
# Installs Debian's Chromium for the browser end-to-end tests (test/e2e) when it is missing.
set -euo pipefail
command -v chromium || (apt-get update && apt-get install -y chromium)
