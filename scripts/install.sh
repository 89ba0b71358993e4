#!/usr/bin/env bash
# Builds a release sqslite and installs it as ~/.local/bin/sqslite (or $PREFIX/bin/sqslite).
#   scripts/install.sh               # release build, static Swift runtime, into ~/.local/bin
#   PREFIX=/usr/local scripts/install.sh
# SQSLITE_BUILD_CONFIGURATION=debug installs a debug build instead (quicker; the tests use it).
set -euo pipefail
cd "$(dirname "$0")/.."

configuration="${SQSLITE_BUILD_CONFIGURATION:-release}"
prefix="${PREFIX:-$HOME/.local}"
flags=(-c "$configuration" --product sqslite)
if [ "$configuration" = release ]; then flags+=(--static-swift-stdlib); fi

swift build "${flags[@]}"
binary="$(swift build -c "$configuration" --show-bin-path)/sqslite"
install -d "$prefix/bin"
install -m 0755 "$binary" "$prefix/bin/sqslite"
if [ "$configuration" = release ]; then strip "$prefix/bin/sqslite" 2>/dev/null || true; fi

echo "installed $("$prefix/bin/sqslite" --version | head -1) as $prefix/bin/sqslite"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "add it to your PATH: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
