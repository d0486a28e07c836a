/**
 * The WebGPU engine's buffers, sized once for the largest batch (BatchCapacity): the resident
 * parameters, gradient and Adam moments, the bound batch, and per layer the activations the
 * backward reads. Scratch used within one layer's backward (dAgg, dP, score gradients, reduction
 * partials) is shared by the layers. Every allocation is named, so running out of memory says which.
 *
 * Shape legend: N nodes, FIN, NH heads, FOUT, HF = NH·FOUT, E' edges incl. self-loops, C classes.
 */
import type { BatchCapacity } from '../model/engine';
import type { LayerShape } from '../model/parameters';
import { graphOffsets } from './gpuBatch';
import { BufferUsage, type GpuBuffer } from './gpuTypes';
import type { GpuParameterLayout } from './gpuParameters';
import { lossPartials } from './lossKernels';
import { partialRows } from './reduceKernels';
import type { WebGpuDevice } from './webgpuDevice';

export interface LayerBuffers {
  readonly xd: GpuBuffer | null; // dropped-out input when training with dropout: (nnz) for layer 0, (N, FIN) after
  readonly p: GpuBuffer; // (N, HF)
  readonly sSrc: GpuBuffer; // (N, NH)
  readonly sTrg: GpuBuffer; // (N, NH)
  readonly alpha: GpuBuffer; // (E', NH)
  readonly alphaD: GpuBuffer; // (E', NH)
  readonly skip: GpuBuffer | null; // (N, HF) skip_proj(input) for a projected skip
  readonly out: GpuBuffer; // (N, HF) or (N, FOUT)
  readonly dOut: GpuBuffer; // same shape as out
}

export interface Scratch {
  readonly agg: GpuBuffer; // (N, max HF)
  readonly dAgg: GpuBuffer; // (N, max HF)
  readonly dP: GpuBuffer; // (N, max HF)
  readonly dsSrc: GpuBuffer; // (N, max NH)
  readonly dsTrg: GpuBuffer; // (N, max NH)
  readonly dZ: GpuBuffer; // (E', max NH)
  readonly partials: GpuBuffer; // (⌈N/256⌉, max(2·HF, bias width))
}

export interface BatchBuffers {
  readonly graph: GpuBuffer; // packed u32 index arrays (gpuBatch.ts)
  readonly indptr: GpuBuffer; // (N + 1)
  readonly indices: GpuBuffer; // (nnz)
  readonly values: GpuBuffer; // (nnz)
  readonly colPtr: GpuBuffer; // (FIN + 1) CSC of the features
  readonly cscRow: GpuBuffer; // (nnz)
  readonly cscPos: GpuBuffer; // (nnz)
  readonly targets: GpuBuffer; // (N) labels, or (N, C) 0/1 bytes
  readonly mask: GpuBuffer; // (N) 1 for the training nodes
}

export interface EngineBuffers {
  readonly params: GpuBuffer;
  readonly grad: GpuBuffer;
  readonly m: GpuBuffer;
  readonly v: GpuBuffer;
  readonly batch: BatchBuffers;
  readonly layers: readonly LayerBuffers[];
  readonly scratch: Scratch;
  readonly lossPartials: GpuBuffer; // (workgroups, 4) u32
  readonly results: GpuBuffer; // (4) u32: Σ loss bits, counts
  readonly all: readonly GpuBuffer[];
}

const STORAGE = BufferUsage.STORAGE | BufferUsage.COPY_DST | BufferUsage.COPY_SRC;

export async function allocateEngineBuffers(
  gpu: WebGpuDevice, shapes: readonly LayerShape[], cap: BatchCapacity, layout: GpuParameterLayout, dropping: boolean, multiLabel: boolean,
): Promise<EngineBuffers> {
  const all: GpuBuffer[] = [];
  const pending: Promise<unknown>[] = [];
  // Allocations run concurrently, each in its own error scopes; on the first failure the rest are
  // awaited and everything is destroyed before the error is rethrown.
  const make = (label: string, floats: number): Promise<GpuBuffer> => {
    const made = gpu.createBuffer(label, 4 * Math.max(floats, 1), STORAGE).then((b) => {
      all.push(b);
      return b;
    });
    pending.push(made);
    return made;
  };
  const n = cap.nodes;
  const e = cap.edges;
  const classes = shapes[shapes.length - 1].fout;
  const maxHf = Math.max(...shapes.map((s) => s.heads * s.fout));
  const maxNh = Math.max(...shapes.map((s) => s.heads));
  const maxWidth = Math.max(...shapes.map((s) => Math.max(2 * s.heads * s.fout, s.concat ? s.heads * s.fout : s.fout)));
  try {
    const [params, grad, m, v] = await Promise.all(['params', 'grad', 'adam.m', 'adam.v'].map((l) => make(l, layout.gpuFloats)));
    const [graph, indptr, indices, values, colPtr, cscRow, cscPos, targets, mask] = await Promise.all([
      make('batch.graph', graphOffsets(cap).total),
      make('batch.indptr', n + 1),
      make('batch.indices', cap.nonZeros),
      make('batch.values', cap.nonZeros),
      make('batch.colPtr', shapes[0].fin + 1),
      make('batch.cscRow', cap.nonZeros),
      make('batch.cscPos', cap.nonZeros),
      make('batch.targets', multiLabel ? Math.ceil((n * classes) / 4) : n),
      make('batch.mask', n),
    ]);
    const layers = await Promise.all(
      shapes.map(async (s, l) => {
        const hf = s.heads * s.fout;
        const name = (what: string): string => `layer${l}.${what}`;
        const [xd, p, sSrc, sTrg, alpha, alphaD, skip, out, dOut] = await Promise.all([
          dropping ? make(name('xd'), l === 0 ? cap.nonZeros : n * s.fin) : null,
          make(name('p'), n * hf),
          make(name('sSrc'), n * s.heads),
          make(name('sTrg'), n * s.heads),
          make(name('alpha'), e * s.heads),
          make(name('alphaD'), e * s.heads),
          s.skip === 'proj' ? make(name('skip'), n * hf) : null,
          make(name('out'), n * (s.concat ? hf : s.fout)),
          make(name('dOut'), n * (s.concat ? hf : s.fout)),
        ]);
        return { xd, p, sSrc, sTrg, alpha, alphaD, skip, out, dOut };
      }),
    );
    const [agg, dAgg, dP, dsSrc, dsTrg, dZ, partials, lossPart, results] = await Promise.all([
      make('scratch.agg', n * maxHf),
      make('scratch.dAgg', n * maxHf),
      make('scratch.dP', n * maxHf),
      make('scratch.dsSrc', n * maxNh),
      make('scratch.dsTrg', n * maxNh),
      make('scratch.dZ', e * maxNh),
      make('scratch.partials', partialRows(n) * maxWidth),
      make('loss.partials', 4 * lossPartials(n)),
      make('loss.results', 4),
    ]);
    return {
      params, grad, m, v,
      batch: { graph, indptr, indices, values, colPtr, cscRow, cscPos, targets, mask },
      layers,
      scratch: { agg, dAgg, dP, dsSrc, dsTrg, dZ, partials },
      lossPartials: lossPart,
      results,
      all,
    };
  } catch (e) {
    await Promise.allSettled(pending);
    for (const b of all) b.destroy();
    throw e;
  }
}
