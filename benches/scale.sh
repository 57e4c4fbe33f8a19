#!/usr/bin/env bash
# Measures wall time and peak memory of `scenario check` and `scenario run`
# over N copies of a shipped scenario, against the built-in mock.
#
#   bash benches/scale.sh [N...]        (default: 100 1000 3000)
#
# Memory should grow with the size of the suite's definitions only: results
# stream to the reporters and response bodies are dropped after each step, so
# `run` stays close to `check`. Needs GNU time (`/usr/bin/time`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="$root/target/release/scenario"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$root/scenario.yaml" "$work/"
mkdir -p "$work/scenarios/flows"
cp "$root"/scenarios/flows/*.yaml "$work/scenarios/flows/"
template="$root/scenarios/logout-one-session.yaml"
for n in "${@:-100 1000 3000}"; do
  for count in $n; do
    rm -f "$work"/scenarios/copy-*.yaml
    for i in $(seq 1 "$count"); do
      sed "s/^name: .*/name: Copy $i/" "$template" > "$work/scenarios/copy-$i.yaml"
    done
    (cd "$work" && /usr/bin/time -f "check $count scenarios: %e s wall, %M KiB peak" "$bin" check > /dev/null)
    (cd "$work" && /usr/bin/time -f "run   $count scenarios: %e s wall, %M KiB peak" "$bin" run --snapshots no | tail -n 1)
  done
done
