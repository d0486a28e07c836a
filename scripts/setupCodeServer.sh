#!/usr/bin/env bash
# Installs code-server (a real VS Code served to a browser) into .cache/code-server/ for the
# extension-host test tier, following shared/docs/vscode-e2e.md. Idempotent: a marker file per
# version makes a second run a no-op apart from a quick check of the Debian packages used at run time.
# Usage: bash scripts/setupCodeServer.sh   (env CODE_SERVER_DIR overrides the install folder)
set -euo pipefail

VERSION=4.100.3
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${CODE_SERVER_DIR:-$REPO_ROOT/.cache/code-server}"
MARKER="$DIR/.installed-$VERSION"
DEB_PACKAGES=(libkrb5-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium)

# node-gyp would otherwise try to download Node's headers (no internet); they are in /usr/include/node.
export npm_config_nodedir=/usr
# node-pty's install script runs `npx node-gyp`, which without a TTY (and without CI=true) cancels
# instead of fetching node-gyp: answer yes.
export npm_config_yes=true
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

log() { echo "[setupCodeServer] $*"; }
trap 'echo "[setupCodeServer] FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR

source "$REPO_ROOT/scripts/debianPackages.sh"
DEBS_LOG_TAG=setupCodeServer ensure_debs "${DEB_PACKAGES[@]}"

if [[ -f "$MARKER" ]]; then
  log "code-server $VERSION already installed in $DIR"
  exit 0
fi

START=$SECONDS
mkdir -p "$DIR"
STEP_LOG="$DIR/setup.log"
: > "$STEP_LOG"

# Runs "$@" in folder $1 with its output in $STEP_LOG; on failure shows the log's tail and stops.
step() {
  local dir=$1 desc=$2
  shift 2
  log "$desc"
  if ! (cd "$dir" && "$@") >>"$STEP_LOG" 2>&1; then
    echo "[setupCodeServer] FAILED: $desc (in $dir). Last lines of $STEP_LOG:" >&2
    tail -n 40 "$STEP_LOG" >&2
    exit 1
  fi
}

# Own package.json: without it npm walks up and installs into the project's package.json.
[[ -f "$DIR/package.json" ]] || echo '{"private":true}' > "$DIR/package.json"

# --ignore-scripts: code-server's postinstall refuses to run as root under npm 11 and downloads ripgrep.
step "$DIR" "npm install code-server@$VERSION" npm install --ignore-scripts "code-server@$VERSION"

VSCODE="$DIR/node_modules/code-server/lib/vscode"
step "$VSCODE" "npm install in lib/vscode" npm install --omit=dev --ignore-scripts
step "$VSCODE" "rebuild native modules (kerberos, spdlog, node-pty, watcher, watchdog, deviceid)" \
  npm rebuild kerberos @vscode/spdlog node-pty @parcel/watcher native-watchdog @vscode/deviceid
log "symlinks: ripgrep -> /usr/bin/rg, node_modules.asar, remote-cli, browser helper"
mkdir -p "$VSCODE/node_modules/@vscode/ripgrep/bin"
ln -sfn /usr/bin/rg "$VSCODE/node_modules/@vscode/ripgrep/bin/rg"
ln -sfn node_modules "$VSCODE/node_modules.asar"
ln -sfn code-linux.sh "$VSCODE/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$VSCODE/bin/helpers/browser.sh"
step "$VSCODE/extensions" "npm install in lib/vscode/extensions" npm install --omit=dev --ignore-scripts
step "$DIR" "npm rebuild argon2" npm rebuild argon2

# Smoke check: the server loads its native modules and reports its version (temp HOME: it writes a config).
SMOKE_HOME="$(mktemp -d)"
VERSION_OUT="$(HOME="$SMOKE_HOME" node "$DIR/node_modules/code-server/out/node/entry.js" --version 2>>"$STEP_LOG")"
VERSION_LINE="$(grep -m 1 "^$VERSION " <<<"$VERSION_OUT" || true)"
rm -rf "$SMOKE_HOME"
[[ "$VERSION_LINE" == "$VERSION "* ]] || { echo "[setupCodeServer] unexpected version output: '$VERSION_LINE'" >&2; exit 1; }
date -u +%FT%TZ > "$MARKER"
log "installed $VERSION_LINE in $((SECONDS - START)) s"
