#!/usr/bin/env bash
# ensure_debs PKG...: installs the Debian packages among PKG that are missing. As root it runs
# apt-get; otherwise it stops with the one command that installs them. Sourced by the scripts
# that prepare a test tier (ensureTestPackages.sh, setupCodeServer.sh).

missing_debs() {
  local pkg missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

ensure_debs() {
  local missing tag="${DEBS_LOG_TAG:-debianPackages}"
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "[$tag] not a Debian-based system: install the equivalents of these packages yourself: $*" >&2
    return 1
  fi
  missing="$(missing_debs "$@")"
  if [[ -z "$missing" ]]; then
    echo "[$tag] Debian packages present: $*"
    return 0
  fi
  if [[ "$(id -u)" != 0 ]]; then
    echo "[$tag] missing Debian packages: $missing. Install them (as root) with: apt-get install -y $missing" >&2
    return 1
  fi
  echo "[$tag] apt-get install $missing"
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
}
