/**
 * Host side of the graph layout: computes it in a worker thread (never on the caller's thread)
 * and caches it on disk, keyed by the dataset's checksums and the layout parameters, so a
 * panel reopened later (or after a reload) draws at once.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { GraphDataset } from '../data/graph';
import { writeFileAtomic } from '../io/atomicWrite';
import { bundledWorker } from '../io/packageFiles';
import { readUserFile, type ByteBudget } from '../io/userFile';
import { DEFAULT_LAYOUT, LAYOUT_VERSION, type LayoutOptions } from './forceLayout';
import type { LayoutRequest, LayoutResult, LayoutUpdate, LayoutWorkerReply } from './protocol';

export interface LayoutSource {
  readonly cacheDir: string;
  /** The bundled worker; defaults to dist/layoutWorker.js of this package. */
  readonly workerScript?: string;
  readonly options?: LayoutOptions;
}

const MAGIC = 0x4c544147; // 'GATL'
interface PendingLayout {
  readonly job: Promise<LayoutResult>;
  /** Everyone waiting for this layout who wants to see it converge. */
  readonly listeners: Set<(update: LayoutUpdate) => void>;
  /** The last update, with the edges of the first (a late listener starts from it). */
  last?: LayoutUpdate;
}
const pending = new Map<string, PendingLayout>();

export function layoutCacheFile(g: Pick<GraphDataset, 'name' | 'checksums'>, cacheDir: string, options: LayoutOptions = DEFAULT_LAYOUT): string {
  const sums = Object.keys(g.checksums)
    .sort()
    .map((k) => `${k}=${g.checksums[k]}`)
    .join(';');
  const key = createHash('sha256').update(`${sums}|v${LAYOUT_VERSION}|${options.ticks}|${options.seed}`).digest('hex').slice(0, 16);
  return path.join(cacheDir, `layout-${g.name}-${key}.bin`);
}

/**
 * The cached layout, or a fresh one from the worker (concurrent callers share one job).
 * `onProgress` sees a multilevel layout converge; every update carries the edges (u, v).
 */
export function graphLayout(g: GraphDataset, source: LayoutSource, onProgress?: (update: LayoutUpdate) => void): Promise<LayoutResult> {
  const options = source.options ?? DEFAULT_LAYOUT;
  const file = layoutCacheFile(g, source.cacheDir, options);
  let entry = pending.get(file);
  if (!entry) {
    const listeners = new Set<(update: LayoutUpdate) => void>();
    const job = loadOrCompute(g, file, source.workerScript ?? defaultLayoutWorker(), options, (update) => {
      const last = pending.get(file);
      const full = update.u ? update : { ...update, u: last?.last?.u, v: last?.last?.v };
      if (last) last.last = full;
      for (const listener of listeners) listener(full);
    });
    entry = { job, listeners };
    pending.set(file, entry);
    void job.then(
      () => pending.delete(file),
      () => pending.delete(file),
    );
  }
  if (onProgress) {
    const { listeners, job } = entry;
    listeners.add(onProgress);
    if (entry.last) onProgress(entry.last);
    void job.finally(() => listeners.delete(onProgress)).catch(() => undefined);
  }
  return entry.job;
}

async function loadOrCompute(g: GraphDataset, file: string, workerScript: string, options: LayoutOptions, onProgress: (update: LayoutUpdate) => void): Promise<LayoutResult> {
  const cached = await readLayout(file, g.numNodes).catch(() => undefined);
  if (cached) return cached;
  const result = await runLayoutWorker(workerScript, { numNodes: g.numNodes, edgeSource: g.edgeSource, edgeTarget: g.edgeTarget, ...options }, onProgress);
  // Atomic, so a concurrent reader never sees half a file; a cache, so a read-only or full disk
  // only costs the next run the same wait.
  await writeFileAtomic(file, encodeLayout(result)).catch(() => undefined);
  return result;
}

export function runLayoutWorker(workerScript: string, request: LayoutRequest, onProgress?: (update: LayoutUpdate) => void): Promise<LayoutResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerScript);
    worker.on('message', (reply: LayoutWorkerReply) => {
      if (reply.type === 'progress') {
        onProgress?.(reply.update);
        return;
      }
      if (reply.type === 'done') resolve(reply.result);
      else reject(new Error(`graph layout failed: ${reply.message}`));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`graph layout worker exited with code ${code}`)));
    worker.postMessage(request);
  });
}

export function encodeLayout(r: LayoutResult): Buffer {
  const header = new Int32Array([MAGIC, LAYOUT_VERSION, r.x.length, r.u.length]);
  const parts = [header, r.x, r.y, r.u, r.v, r.thickness].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  return Buffer.concat(parts);
}

/**
 * A layout from the cache file's bytes, or undefined for anything but a whole, well-formed one of
 * this version: counts that match the file size, finite coordinates, edges between existing nodes,
 * thickness in [0, 1].
 */
export function decodeLayout(buf: Uint8Array): LayoutResult | undefined {
  if (buf.byteLength < 16) return undefined;
  const copy = new Uint8Array(buf).buffer; // aligned copy for the typed-array views
  const [magic, version, n, e] = new Int32Array(copy, 0, 4);
  if (magic !== MAGIC || version !== LAYOUT_VERSION || n < 0 || e < 0 || buf.byteLength !== 16 + 8 * n + 12 * e) return undefined;
  let at = 16;
  const take = <T>(make: (o: number, len: number) => T, len: number): T => {
    const out = make(at, len);
    at += 4 * len;
    return out;
  };
  const layout: LayoutResult = {
    x: take((o, l) => new Float32Array(copy, o, l), n),
    y: take((o, l) => new Float32Array(copy, o, l), n),
    u: take((o, l) => new Int32Array(copy, o, l), e),
    v: take((o, l) => new Int32Array(copy, o, l), e),
    thickness: take((o, l) => new Float32Array(copy, o, l), e),
  };
  for (let i = 0; i < n; i++) if (!Number.isFinite(layout.x[i]) || !Number.isFinite(layout.y[i])) return undefined;
  for (let k = 0; k < e; k++) {
    const t = layout.thickness[k];
    if (!(layout.u[k] >= 0 && layout.u[k] < n && layout.v[k] >= 0 && layout.v[k] < n && t >= 0 && t <= 1)) return undefined;
  }
  return layout;
}

/**
 * A layout is 8 bytes per node and 12 per edge: PPI's is about 20 MB. Past 256 MiB a cache file is
 * not one of ours (or not worth holding) and is recomputed instead; so is one that is not a file.
 */
const LAYOUT_CACHE_BUDGET: ByteBudget = { what: 'layout cache', maxBytes: 256 << 20 };

async function readLayout(file: string, numNodes: number): Promise<LayoutResult | undefined> {
  const layout = decodeLayout(await readUserFile(file, LAYOUT_CACHE_BUDGET));
  return layout && layout.x.length === numNodes ? layout : undefined;
}

/** dist/layoutWorker.js next to the nearest package.json above this bundle. */
export function defaultLayoutWorker(from: string = __dirname): string {
  return bundledWorker('layoutWorker.js', from, ': pass workerScript explicitly');
}
