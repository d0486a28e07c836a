#!/usr/bin/env bash
# The GPU and many-core check, for a lent device machine (an NVIDIA GPU, 16 cores, no network, maybe
# no Node), in one call of under 8 minutes. Two halves:
#
#   here, once:  bash scripts/deviceCheck.sh --prepare
#       builds .devicekit/ (git-ignored, ~50 MB): Node (xz), the CLI and bench bundles, the native
#       modules for linux-x64 only (Dawn's webgpu, onnxruntime-node), Debian's Vulkan loader, the
#       PyTorch reference script.
#   there:       bash scripts/deviceCheck.sh          (device run: carry [".devicekit"])
#       1. sets up Vulkan as the device README describes (the loader from the kit, NVIDIA's ICD);
#       2. gat backends;
#       3. a full default Cora run on webgpu;
#       4. 2 PPI-sized epochs on webgpu;
#       5. CPU scaling at 1, 2, 4, 8 and 16 threads on PPI-sized data (the fastest CPU route), with
#          the PyTorch reference on the same data and threads.
#       Every result goes out as JSON under $OUT (summary.json first), with the log.
#
# `--local` runs the device half on this machine instead (SwiftShader for WebGPU, a small PPI-format
# folder, one epoch, threads up to this machine's cores): a dry run that proves the script works.
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
KIT="$REPO/.devicekit"

prepare() {
  set -e
  export npm_config_nodedir=/usr
  [ -d node_modules ] || npm ci --no-audit --no-fund
  npm run build >/dev/null
  rm -rf "$KIT" && mkdir -p "$KIT/root/dist" "$KIT/root/node_modules" "$KIT/root/test/reference" "$KIT/gl"
  cp package.json "$KIT/root/"
  cp -r dist/cli.js dist/*Worker.js dist/wasm "$KIT/root/dist/"
  cp test/reference/pytorchGatPpi.py "$KIT/root/test/reference/"
  mkdir -p "$KIT/root/data" && cp -r data/planetoid "$KIT/root/data/"   # Cora, bundled as in the package
  # The bench, bundled whole (its TensorFlow.js and test helpers inside), next to the CLI so it finds dist/wasm and the workers.
  node --input-type=module -e "
    import * as esbuild from 'esbuild';
    await esbuild.build({ entryPoints: ['bench/train.ts'], outfile: '$KIT/root/dist/bench.js', bundle: true, platform: 'node', target: 'node20', format: 'cjs',
      external: ['webgpu', 'onnxruntime-node', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'playwright-core'], ignoreAnnotations: true, logLevel: 'warning' });"
  # Native modules, linux-x64 only (the other platforms' binaries would not fit the 64 MiB a call carries).
  for pkg in webgpu onnxruntime-node onnxruntime-common; do
    [ -d "node_modules/$pkg" ] || continue
    mkdir -p "$KIT/root/node_modules/$pkg"
    (cd "node_modules/$pkg" && tar --exclude='./dist/darwin*' --exclude='./dist/win32*' --exclude='./dist/linux-arm64' --exclude='./bin/napi-v*/darwin' --exclude='./bin/napi-v*/win32' --exclude='./bin/napi-v*/linux/arm64' -cf - .) | tar -xf - -C "$KIT/root/node_modules/$pkg"
  done
  tar -C "$KIT/root" -cf - . | xz -T0 -6 > "$KIT/root.tar.xz" && rm -rf "$KIT/root"
  xz -T0 -6 -c "$(command -v node)" > "$KIT/node.xz"
  # Debian's Vulkan loader (the device image may have none), as the device README says.
  mkdir -p /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  apt-get $o update -qq >/dev/null
  (cd "$KIT/gl" && apt-get $o download -qq libvulkan1 >/dev/null 2>&1)
  exclude=$(git rev-parse --git-path info/exclude) && { grep -qxF '/.devicekit/' "$exclude" 2>/dev/null || echo '/.devicekit/' >> "$exclude"; }
  du -sh "$KIT"
  echo "ready: run 'bash scripts/deviceCheck.sh' on the device with carry [\".devicekit\"]"
}

if [ "${1:-}" = "--prepare" ]; then prepare; exit $?; fi
LOCAL=0
[ "${1:-}" = "--local" ] && LOCAL=1

OUT=${OUT:-$REPO/out/deviceCheck}
mkdir -p "$OUT"
LOG="$OUT/log.txt"
: > "$LOG"
say() { echo "[deviceCheck] $*" | tee -a "$LOG"; }
START=$(date +%s)

# --- 0. The kit: Node and the bundles -------------------------------------------------------------
[ -f "$KIT/root.tar.xz" ] || { say "no .devicekit: run 'bash scripts/deviceCheck.sh --prepare' here first, and carry .devicekit"; exit 2; }
WORK=/tmp/gat-device
rm -rf "$WORK" && mkdir -p "$WORK"
xz -dc "$KIT/root.tar.xz" | tar -xf - -C "$WORK"
NODE=$(command -v node || true)
if [ -z "$NODE" ] || [ "$("$NODE" -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  xz -dc "$KIT/node.xz" > "$WORK/node" && chmod +x "$WORK/node" && NODE="$WORK/node"
fi
say "node $("$NODE" --version) at $NODE; $(nproc) cores; $(uname -m)"

# --- 1. Vulkan: the loader, and NVIDIA's ICD where the driver keeps it -----------------------------
if [ "$LOCAL" = 1 ]; then
  export VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
else
  if ! ldconfig -p | grep -q libvulkan.so.1; then
    for f in "$KIT"/gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
  fi
  if ! ls /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json >/dev/null 2>&1 && [ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]; then
    export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  fi
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >>"$LOG" 2>&1 || true
fi

cd "$WORK"
# Runs a step under a time limit; its stdout's last line (JSON) goes to $OUT/$1.json.
step() {
  local name=$1 limit=$2; shift 2
  local t0=$(date +%s)
  say "step $name (limit ${limit}s): $*"
  timeout "$limit" "$@" > "$WORK/$name.out" 2>>"$LOG"
  local rc=$?
  tail -n 20 "$WORK/$name.out" >> "$LOG"
  local last=$(tail -n 1 "$WORK/$name.out")
  if [ $rc -eq 0 ] && echo "$last" | "$NODE" -e 'JSON.parse(require("fs").readFileSync(0, "utf8"))' 2>/dev/null; then
    echo "$last" > "$OUT/$name.json"
  else
    echo "{\"error\":\"exit $rc\",\"step\":\"$name\"}" > "$OUT/$name.json"
  fi
  say "step $name: exit $rc in $(( $(date +%s) - t0 )) s"
}

# --- 2. What is there --------------------------------------------------------------------------------
step backends 60 "$NODE" dist/cli.js backends --json

# --- 3. A full default Cora run on webgpu (the paper's recipe, patience 1000) -------------------------
if [ "$LOCAL" = 1 ]; then CORA_ARGS=(--max-epochs 30); else CORA_ARGS=(); fi
step cora-webgpu 150 "$NODE" dist/bench.js --backend webgpu --json "${CORA_ARGS[@]}"

# --- 4. PPI-sized epochs on webgpu ---------------------------------------------------------------------
if [ "$LOCAL" = 1 ]; then PPI_SCALE=(--ppi-scale small); EPOCHS=1; else PPI_SCALE=(); EPOCHS=2; fi
step ppi-webgpu 180 "$NODE" dist/bench.js --dataset ppi-synthetic "${PPI_SCALE[@]}" --epochs "$EPOCHS" --backend webgpu --json

# --- 5. CPU scaling on PPI-sized data (auto's CPU route), and the PyTorch reference beside it -----------
# The PyTorch peer where a Python with torch is found (the bench looks for python3, then /usr/bin/python3).
PEER=()
for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null && "$py" -c 'import torch' 2>/dev/null; then PEER=(--pytorch); break; fi
done
step cpu-scaling 240 "$NODE" dist/bench.js --dataset ppi-synthetic "${PPI_SCALE[@]}" --epochs 1 --backend auto --force-cpu --scaling "${PEER[@]}" --json

# --- The summary: every step's JSON in one file ------------------------------------------------------
"$NODE" -e '
  const fs = require("fs"), path = require("path"), out = process.argv[1];
  const read = (n) => { try { return JSON.parse(fs.readFileSync(path.join(out, n + ".json"), "utf8")); } catch (e) { return { error: String(e) }; } };
  const summary = { machine: { cores: require("os").availableParallelism(), node: process.version }, seconds: Number(process.argv[2]),
    backends: read("backends"), coraWebgpu: read("cora-webgpu"), ppiWebgpu: read("ppi-webgpu"), cpuScaling: read("cpu-scaling") };
  fs.writeFileSync(path.join(out, "summary.json"), JSON.stringify(summary, null, 2));
' "$OUT" "$(( $(date +%s) - START ))"
say "done in $(( $(date +%s) - START )) s: $OUT/summary.json"
