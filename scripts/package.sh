#!/usr/bin/env bash
# Makes a release archive for people without a Swift toolchain: one tarball with the stripped
# binary (static Swift runtime; it needs only libsqlite3 and zlib on the target machine), README
# and the example config.
#   scripts/package.sh               # -> dist/sqslite-<version>-linux-<arch>.tar.gz
# SQSLITE_BUILD_CONFIGURATION=debug packages a debug build instead (quicker; the tests use it).
set -euo pipefail
cd "$(dirname "$0")/.."

configuration="${SQSLITE_BUILD_CONFIGURATION:-release}"
flags=(-c "$configuration" --product sqslite)
if [ "$configuration" = release ]; then flags+=(--static-swift-stdlib); fi
swift build "${flags[@]}"
binary="$(swift build -c "$configuration" --show-bin-path)/sqslite"

version="$("$binary" --version | head -1)"
name="sqslite-$version-$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name"
install -m 0755 "$binary" "$stage/$name/sqslite"
strip "$stage/$name/sqslite" 2>/dev/null || true
cp README.md "$stage/$name/"
cp config/sqslite.yaml "$stage/$name/sqslite.example.yaml"

mkdir -p dist
tar -C "$stage" -czf "dist/$name.tar.gz" "$name"
echo "dist/$name.tar.gz"
