#!/usr/bin/env bash
# Installs the npm test tools: DuckDB (the independent Parquet reader),
# node-postgres (for the Redshift emulator, tests/tools/redshift_emulator.mjs),
# puppeteer-core (drives Debian's Chromium for the report's page,
# tests/tools/page_check.mjs; it downloads no browser) and s3rver (the local
# S3-compatible server).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
for folder in tests/tools tests/tools/s3rver; do
  if [[ -f "$root/$folder/package.json" ]]; then
    npm install --prefix "$root/$folder" --no-audit --no-fund --loglevel=error >/dev/null
  fi
done
