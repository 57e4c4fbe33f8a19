#!/usr/bin/env bash
# Measures `scenario run` against a local static target, next to a bare
# reqwest loop (the limit) and Hurl when it is on PATH, for N copies of the
# basic four-request flow, and prints one Markdown table with the ratios.
#
#   bash benches/throughput.sh [--sizes 200,2500,10000] [--jobs 16]
#
# Builds in release mode first (a few minutes cold). Needs GNU time
# (`/usr/bin/time`, Debian package `time`). For the Hurl columns:
#   apt-get install libcurl4-openssl-dev libxml2-dev pkg-config libclang-dev
#   cargo install hurl@8.0.1 --locked
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo bench --quiet --bench throughput -- "$@"
