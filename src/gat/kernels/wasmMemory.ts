/**
 * The compiled kernel module (wasm/gatKernels.c) and the one shared WebAssembly.Memory its instances
 * work in, sized up front (growing it would detach the views the engine holds). Engine buffers,
 * worker stacks and copies of inputs that live elsewhere are taken from it by a bump allocator:
 * constant inputs (graph, features, node lists) are copied once, the weights on every call.
 */
import { GAT_KERNELS_WASM_BASE64 } from './wasm/gatKernelsWasm';

/** The part of the WebAssembly API we use (the ES2022 lib this project compiles against has no types for it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => { readonly buffer: ArrayBuffer };
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const WasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const PAGE = 65536;
const RESERVED = 1 << 20; // below this: the main instance's C stack (clang puts it at 64 KiB) and nothing of ours
/** Each worker's C stack, taken from the region. */
export const WORKER_STACK = 1 << 16;

let compiled: object | null = null;

/** Whether this Node can run the SIMD module (validates it once). */
export function wasmSimdSupported(): boolean {
  try {
    compiled ??= new WasmApi.Module(Buffer.from(GAT_KERNELS_WASM_BASE64, 'base64'));
    return true;
  } catch {
    return false;
  }
}

export interface WasmRegion {
  /** The compiled module and its shared memory (for the pool's worker instances). */
  readonly module: object;
  readonly memory: object;
  /** The main thread's instance's exports. */
  readonly exports: Record<string, (...args: number[]) => void>;
  /** A fresh 64-byte-aligned block of `bytes`; its byte offset. */
  take(bytes: number): number;
  allocF32(n: number): Float32Array;
  /** The byte offset of an Int32Array's copy in wasm memory (copied once: these never change). */
  constant(a: Int32Array): number;
  /** A scratch region of n floats (one, reused: grown only by taking a fresh region). */
  scratch(n: number): Float32Array;
  /** The byte offset of `a`, copied into the scratch region if it lives elsewhere. */
  stage(a: Float32Array): number;
  /** Scratch for the dense kernels' transposed weights (kept apart from the staging region). */
  denseScratch(floats: number): number;
  owns(a: ArrayBufferView): boolean;
}

/** A memory of at least `bytes` for engine buffers, `constantBytes` for copied inputs and `extra` (worker stacks). */
export function createWasmRegion(bytes: number, constantBytes: number, extra: number): WasmRegion {
  if (!wasmSimdSupported() || !compiled) throw new Error('this Node.js cannot run WebAssembly SIMD');
  const module = compiled;
  const pages = Math.ceil((RESERVED + bytes + constantBytes + (1 << 20) + extra) / PAGE);
  const memory = new WasmApi.Memory({ initial: pages, maximum: pages, shared: true });
  const exports = new WasmApi.Instance(module, { env: { memory } }).exports as Record<string, (...args: number[]) => void>;
  const buffer = memory.buffer;
  const limit = buffer.byteLength;
  let top = RESERVED;
  const take = (byteLength: number): number => {
    const at = top;
    top += (byteLength + 63) & ~63; // cache-line aligned (v128 loads need 16; threads splitting rows at lines need 64)
    if (top > limit) throw new Error(`wasm kernel memory exhausted (${limit} bytes)`);
    return at;
  };
  const constants = new WeakMap<Int32Array, number>();
  let staging: Float32Array | null = null;
  let dense = { at: 0, floats: 0 };
  const scratch = (n: number): Float32Array => {
    if (!staging || staging.length < n) staging = new Float32Array(buffer, take(4 * n), n);
    return staging.length === n ? staging : staging.subarray(0, n);
  };
  return {
    module,
    memory,
    exports,
    take,
    allocF32: (n) => new Float32Array(buffer, take(4 * n), n),
    constant(a) {
      if (a.buffer === buffer) return a.byteOffset;
      let at = constants.get(a);
      if (at === undefined) {
        at = take(a.byteLength);
        new Int32Array(buffer, at, a.length).set(a);
        constants.set(a, at);
      }
      return at;
    },
    scratch,
    stage(a) {
      if (a.buffer === buffer) return a.byteOffset;
      const s = scratch(a.length);
      s.set(a);
      return s.byteOffset;
    },
    denseScratch(floats) {
      if (dense.floats < floats) dense = { at: take(4 * floats), floats };
      return dense.at;
    },
    owns: (a) => a.buffer === buffer,
  };
}
