/**
 * What computed a run: its engine, the hot kernels and how many threads they ran on, and which
 * library multiplied the wide layers' dense products on how many threads. Recorded in run.json and
 * in every artifact's provenance, printed by `gat train`, shown by the extension's Back End Info.
 */

export interface ComputeRoute {
  /** fused (our kernels), generic (TensorFlow.js ops) or webgpu (WGSL). */
  readonly engine: string;
  /** The fused engine's hot loops: wasm-simd or typescript; null for the other engines. */
  readonly kernels: string | null;
  readonly threads: number;
  /** The dense products' library (null: the model has no wide layers, or the engine has its own). */
  readonly products: string | null;
  readonly gemmThreads: number;
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** One line: "fused kernels (wasm-simd) on 2 threads; dense products: tfjs on 2 threads". */
export function describeRoute(r: ComputeRoute): string {
  const engine = r.engine === 'fused' ? `fused kernels (${r.kernels ?? 'typescript'}) on ${plural(r.threads, 'thread')}` : r.engine === 'webgpu' ? 'WGSL kernels on the GPU' : r.engine === 'generic' ? 'generic TensorFlow.js ops' : r.engine;
  return r.products ? `${engine}; dense products: ${r.products} on ${plural(r.gemmThreads, 'thread')}` : engine;
}

/** Reads a route back from a file we were handed: null unless every field has its type. */
export function parseComputeRoute(v: unknown): ComputeRoute | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  const own = (k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);
  const text = (k: string, nullable: boolean): string | null | undefined => {
    const x = own(k);
    // Names only (they are shown in Markdown and terminals): letters, digits, '.', '_', '-'.
    if (typeof x === 'string' && /^[\w.-]{1,64}$/.test(x)) return x;
    return nullable && x === null ? null : undefined;
  };
  const count = (k: string): number | undefined => {
    const x = own(k);
    return typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 4096 ? x : undefined;
  };
  const engine = text('engine', false);
  const kernels = text('kernels', true);
  const products = text('products', true);
  const threads = count('threads');
  const gemmThreads = count('gemmThreads');
  if (typeof engine !== 'string' || kernels === undefined || products === undefined || threads === undefined || gemmThreads === undefined) return null;
  return { engine, kernels, threads, products, gemmThreads };
}

/** A training session's route (a Trainer has these fields). */
export function routeOf(t: { readonly engine: string; readonly hotKernels: string | null; readonly threads: number; readonly products: string | null; readonly gemmThreads: number }): ComputeRoute {
  return { engine: t.engine, kernels: t.hotKernels, threads: t.threads, products: t.products, gemmThreads: t.gemmThreads };
}
