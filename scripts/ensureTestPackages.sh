#!/usr/bin/env bash
# What the unit tier runs against for real (never replaced by stored numbers): the reference
# libraries networkx and igraph (edge betweenness), NumPy and SciPy (Planetoid assembly, safetensors
# and .npy files), and a Vulkan driver for the WebGPU tests: SwiftShader, which Debian's chromium
# ships, loaded through libvulkan1. PyTorch (python3-torch) loads the .pth files `gat export` writes
# into the original's GAT and computes its outputs. Installed from Debian when missing (needs root);
# otherwise the message names the packages to install.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/debianPackages.sh"
DEBS_LOG_TAG=ensureTestPackages ensure_debs python3-networkx python3-igraph python3-numpy python3-scipy python3-torch chromium libvulkan1
