#!/usr/bin/env bash
# The reference libraries the unit tier cross-checks against, run for real (never replaced by
# stored numbers): networkx and igraph (edge betweenness), NumPy and SciPy (Planetoid assembly,
# safetensors and .npy files). Installed from Debian when missing (needs root, as Chromium does);
# otherwise the message names the packages to install.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/debianPackages.sh"
DEBS_LOG_TAG=ensureTestPackages ensure_debs python3-networkx python3-igraph python3-numpy python3-scipy
