#!/usr/bin/env bash
# Configures and builds into build/ (Release-like, warnings as errors).
# Extra CMake flags pass through, e.g. scripts/build.sh -DSPARKIFY_SANITIZE=ON
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPARKIFY_WERROR=ON "$@" >/dev/null
cmake --build "$root/build" -j "$(nproc)"
