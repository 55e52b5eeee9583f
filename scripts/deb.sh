#!/usr/bin/env bash
# `make deb`: the Debian package of the release build, in target/debian/.
# Prints the .deb's path on its last line.
#
# Installs cargo-deb (the pinned version below, `cargo install --locked`
# into ~/.cargo/bin) when it is missing or another version. Reuses an
# up-to-date release build. Extra arguments go to cargo-deb (e.g. --fast).
# What the package holds and does: docs/production.md.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo_deb_version=3.8.0
cargo=${CARGO:-cargo}

if [ "$("$cargo" deb --version 2>/dev/null)" != "cargo-deb $cargo_deb_version" ]; then
    echo "== installing cargo-deb $cargo_deb_version (cargo install --locked)" >&2
    "$cargo" install --locked --quiet "cargo-deb@$cargo_deb_version" >&2
fi
"$cargo" build --release --locked --quiet --bin rencontre >&2
mkdir -p target/debian
# --no-build: cargo-deb's own build would not reuse ours (it selects
# features and profile flags itself).
"$cargo" deb --no-build --locked --quiet --output target/debian/ "$@" >&2
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
deb="target/debian/rencontre_${version}-1_$(dpkg --print-architecture).deb"
if [ ! -f "$deb" ]; then
    echo "deb.sh: cargo-deb did not write $deb" >&2
    exit 1
fi
echo "$deb"
