#!/usr/bin/env bash
# Installs everything sparkify-etl needs to build, test and benchmark, from
# Debian's packages (and npm for the test tools). Safe to run again.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates
  libsimdjson-dev libpq-dev libcurl4-openssl-dev zlib1g-dev libsnappy-dev libzstd-dev
  libthrift-dev thrift-compiler libboost-dev libcli11-dev libfmt-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql postgresql-client
)
# Node.js runs the test tools (DuckDB reader, S3 server). A machine that
# already has node and npm (for example from NodeSource, whose nodejs
# conflicts with Debian's npm) keeps them; otherwise Debian's are installed.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
if [[ "${1:-}" == "--with-bench" ]]; then
  packages+=(awscli hyperfine time bc python3)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
