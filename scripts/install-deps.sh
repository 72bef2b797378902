#!/usr/bin/env bash
# Installs everything sparkify-etl needs to build, test and benchmark, from
# Debian's packages (and npm for the test tools). Safe to run again.
#   scripts/install-deps.sh [--with-bench] [--with-fuzz]
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates
  libsimdjson-dev libpq-dev libcurl4-openssl-dev zlib1g-dev libsnappy-dev libzstd-dev
  libabsl-dev
  libthrift-dev thrift-compiler libboost-dev libcli11-dev libfmt-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql postgresql-client
  # Chart.js, which the report reads at run time and inlines into its page.
  libjs-chart.js
  # The report's page is tested in headless Chromium (tests/tools/page_check.mjs).
  chromium fonts-dejavu-core
)
# Node.js runs the test tools (DuckDB reader, S3 server). A machine that
# already has node and npm (for example from NodeSource, whose nodejs
# conflicts with Debian's npm) keeps them; otherwise Debian's are installed.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
# --with-bench: the benchmarks' peers and tools. --with-fuzz: clang, its
# libFuzzer and sanitizer runtimes (Debian 12's clang is 14) and
# llvm-symbolizer, for scripts/fuzz.sh; the normal build needs none of them.
for option in "$@"; do
  case "$option" in
    --with-bench) packages+=(awscli hyperfine time bc python3) ;;
    --with-fuzz) packages+=(clang libclang-rt-14-dev llvm) ;;
    *) echo "install-deps: unknown option $option (--with-bench, --with-fuzz)" >&2; exit 2 ;;
  esac
done

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
