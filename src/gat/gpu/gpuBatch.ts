/**
 * The CPU side of binding a batch to the GPU: the index arrays the kernels read, built once per
 * batch. The graph, with its out-edge lists (edges grouped by source, for the atomics-free attention
 * backward), is packed into one u32 array; the features get a CSC copy (for the sparse layer's
 * weight gradient). Both are counting sorts, O(E') and O(nnz).
 */
import type { CsrMatrix } from '../data/graph';
import type { GatGraph } from '../kernels/gatGraph';
import type { GraphOffsets } from './attentionKernels';

/** Where each index array sits in the packed graph buffer of a capacity of `nodes` and `edges`. */
export function graphOffsets(cap: { readonly nodes: number; readonly edges: number }): GraphOffsets & { readonly total: number } {
  const n1 = cap.nodes + 1;
  const e = cap.edges;
  return { rowPtr: 0, source: n1, target: n1 + e, outPtr: n1 + 2 * e, outEdge: 2 * n1 + 2 * e, total: 2 * n1 + 3 * e };
}

/** The pieces of the packed graph buffer and where each goes (u32 offsets), for writeBuffer. */
export function graphPieces(g: GatGraph, off: GraphOffsets): { readonly offset: number; readonly data: Int32Array | Uint32Array }[] {
  return [
    { offset: off.rowPtr, data: g.rowPtr },
    { offset: off.source, data: g.source },
    { offset: off.target, data: g.target },
    { offset: off.outPtr, data: g.outPtr }, // edges by source (the graph's reverse index), ascending
    { offset: off.outEdge, data: g.outEdge },
  ];
}

/** The packed graph buffer's contents for exactly this graph (capacity = the graph). */
export function packGraph(g: GatGraph): { readonly offsets: GraphOffsets; readonly data: Uint32Array } {
  const offsets = graphOffsets({ nodes: g.numNodes, edges: g.numEdges });
  const data = new Uint32Array(offsets.total);
  for (const piece of graphPieces(g, offsets)) data.set(piece.data, piece.offset);
  return { offsets, data };
}

/** Column-major index of a CSR matrix: entries of column f are colPtr[f] .. colPtr[f+1]-1, rows ascending. */
export interface CscIndex {
  readonly colPtr: Uint32Array; // (FIN + 1)
  readonly row: Uint32Array; // (nnz) row of each entry
  readonly pos: Uint32Array; // (nnz) the entry's position in the CSR arrays
}

export function cscOf(x: CsrMatrix): CscIndex {
  const nnz = x.indptr[x.rows];
  const colPtr = new Uint32Array(x.cols + 1);
  for (let p = 0; p < nnz; p++) colPtr[x.indices[p] + 1]++;
  for (let f = 0; f < x.cols; f++) colPtr[f + 1] += colPtr[f];
  const fill = colPtr.slice(0, x.cols);
  const row = new Uint32Array(nnz);
  const pos = new Uint32Array(nnz);
  for (let i = 0; i < x.rows; i++) {
    for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) {
      const q = fill[x.indices[p]]++;
      row[q] = i;
      pos[q] = p;
    }
  }
  return { colPtr, row, pos };
}

/** Multi-label targets (N, C) 0/1 bytes, padded to whole u32 words (the BCE kernel reads 4 per word). */
export function packedTargets(multiLabels: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(count / 4) * 4);
  out.set(multiLabels.subarray(0, count));
  return out;
}
