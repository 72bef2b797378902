#!/usr/bin/env bash
# Installs everything sparkify-etl needs to build, test and benchmark, from
# Debian's packages (and npm for the test tools). Safe to run again.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates
  libsimdjson-dev libpq-dev libcurl4-openssl-dev zlib1g-dev libsnappy-dev libzstd-dev
  libthrift-dev thrift-compiler libcli11-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql postgresql-client
  nodejs npm
)
if [[ "${1:-}" == "--with-bench" ]]; then
  packages+=(awscli hyperfine time)
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
