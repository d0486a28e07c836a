/**
 * The layer's constants are stated once (src/gat/kernels/gatLayer.ts): the committed C header and
 * WebAssembly carry exactly those values, and no kernel source (TypeScript, C, WGSL) copies them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { HASH_GOLDEN, HASH_MUL_1, HASH_MUL_2, KEY_SEED_SALT, KEY_STREAM_MUL, LEAKY_RELU_SLOPE } from '../../src/gat/kernels/gatLayer';
import { f32Literal, f32Word, gatLayerHeader, layerConstantWords, u32Literal } from '../../src/gat/kernels/gatLayerSource';
import { GAT_KERNELS_WASM_BASE64 } from '../../src/gat/kernels/wasm/gatKernelsWasm';
import { repoRoot } from '../helpers/paths';

const REBUILD = 'run node scripts/buildWasmKernels.mjs (needs clang + lld)';

/** The words the committed wasm's gat_layer_constants export writes. */
function wasmConstantWords(count: number): number[] {
  const memory = new WebAssembly.Memory({ initial: 32, maximum: 32, shared: true });
  const module = new WebAssembly.Module(Buffer.from(GAT_KERNELS_WASM_BASE64, 'base64'));
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as { gat_layer_constants?: (out: number) => void };
  assert.equal(typeof exports.gat_layer_constants, 'function', `the wasm exports gat_layer_constants (${REBUILD})`);
  const at = 1 << 20; // above the C stack
  exports.gat_layer_constants!(at);
  return Array.from(new Uint32Array(memory.buffer, at, count));
}

/** The source files of the engines: TypeScript (with the WGSL in it) and C. */
function engineSources(): string[] {
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : /\.(ts|c)$/.test(name) ? [full] : [];
  });
  return ['kernels', 'gpu', 'model', 'explain'].flatMap((d) => walk(path.join(repoRoot, 'src', 'gat', d)));
}

describe('the GAT layer stated once', () => {
  it(`the committed wasm/gatLayer.h is the one gatLayer.ts gives (${REBUILD})`, () => {
    const committed = readFileSync(path.join(repoRoot, 'src', 'gat', 'kernels', 'wasm', 'gatLayer.h'), 'utf8');
    assert.equal(committed, gatLayerHeader());
  });

  it(`the committed wasm was compiled with gatLayer.ts's constants (${REBUILD})`, () => {
    const expected = layerConstantWords();
    assert.equal(expected[0], f32Word(LEAKY_RELU_SLOPE), 'the slope comes first, as float32 bits');
    assert.deepEqual(wasmConstantWords(expected.length), expected);
  });

  it('literals: float32 values written exactly, u32 values in hex', () => {
    assert.equal(f32Literal(0.2), '0.20000000298023224f');
    assert.equal(f32Literal(1), '1.0f');
    assert.equal(f32Literal(1e-30), `${Math.fround(1e-30)}f`);
    assert.equal(Math.fround(parseFloat(f32Literal(LEAKY_RELU_SLOPE))), Math.fround(LEAKY_RELU_SLOPE));
    assert.equal(u32Literal(HASH_MUL_1), '0x85ebca6bu');
    assert.equal(u32Literal(-1), '0xffffffffu');
  });

  it('no engine source restates a constant: they read gatLayer.ts', () => {
    const own = new Set(['gatLayer.ts', 'gatLayer.h', 'gatKernelsWasm.ts']);
    const hex = [HASH_MUL_1, HASH_MUL_2, HASH_GOLDEN, KEY_SEED_SALT, KEY_STREAM_MUL].map((x) => `0x${(x >>> 0).toString(16)}`);
    const slope = new RegExp(`(?<![\\w.])${String(LEAKY_RELU_SLOPE).replace('.', '\\.')}(?![\\d])`);
    const files = engineSources();
    assert.ok(files.some((f) => f.endsWith('gatKernels.c')) && files.some((f) => f.endsWith('wgslCommon.ts')), 'C and WGSL sources are read');
    for (const file of files.filter((f) => !own.has(path.basename(f)))) {
      const text = readFileSync(file, 'utf8').toLowerCase();
      for (const h of hex) assert.ok(!text.includes(h), `${path.relative(repoRoot, file)} copies ${h}`);
      assert.doesNotMatch(text, slope, `${path.relative(repoRoot, file)} copies the LeakyReLU slope`);
    }
  });
});
