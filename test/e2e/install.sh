#!/usr/bin/env bash
# Installs what the end-to-end tests need (../shared/E2E.md): Debian's chromium and build tools, and
# code-server 4.100.3 (VS Code 1.100.3, the last line on Node 20) in its own git-ignored folder.
# Idempotent: every step is skipped when its result is already there. Called by .ci/run and `npm start`.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CS_VERSION=4.100.3
CS_DIR="$HERE/.code-server"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
# shellcheck source=isolated-npm-install.sh
. "$HERE/isolated-npm-install.sh"

# 1. Debian packages (root on CI and dev machines). Only when one is missing.
PKGS="build-essential python3 pkg-config libkrb5-dev ripgrep chromium fonts-liberation fonts-noto-color-emoji"
if ! dpkg -s $PKGS >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $PKGS
fi

# 2. code-server in its own prefix, never a devDependency: its postinstall builds native modules.
installed=""
[ -x "$CS_BIN" ] && installed=$(node -p "require('$CS_DIR/node_modules/code-server/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$CS_VERSION" ]; then
  t0=$(date +%s)
  SCRATCH="$CS_DIR/.scratch"
  mkdir -p "$SCRATCH/tmp" "$SCRATCH/home"
  # @vscode/ripgrep's postinstall reads this cache before it tries GitHub: seed it with Debian's rg.
  RG_CACHE="$SCRATCH/tmp/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$RG_CACHE" "$SCRATCH/rgstage"
  cp /usr/bin/rg "$SCRATCH/rgstage/rg"
  tar czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$SCRATCH/rgstage" rg
  [ -f "$CS_DIR/package.json" ] || echo '{"private":true}' > "$CS_DIR/package.json"
  LOG="$CS_DIR/install.log"
  if ! (
    export HOME="$SCRATCH/home" TMPDIR="$SCRATCH/tmp"
    export npm_config_unsafe_perm=true        # its postinstall exits 1 as root without it
    export npm_config_nodedir=/usr            # node-gyp would otherwise download headers
    export npm_config_build_from_source=true  # argon2/kerberos would otherwise try GitHub prebuilds first
    isolated_npm_install "$CS_DIR" "code-server@$CS_VERSION" "$LOG"
  ); then
    exit 1
  fi
  rm -rf "$SCRATCH"
  echo "code-server $CS_VERSION installed in $(( $(date +%s) - t0 ))s"
fi

# 3. playwright-core is a devDependency (no browser download); `npm ci` installed it.
[ -d "$HERE/../../node_modules/playwright-core" ] || (cd "$HERE/../.." && npm install --no-audit --no-fund --no-save playwright-core@1.65.1)
echo "e2e tools ready: $CS_BIN, /usr/bin/chromium"
