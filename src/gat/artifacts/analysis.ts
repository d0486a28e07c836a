/**
 * The analysis artifact (runs/<run-id>/analysis.safetensors): everything the explorer panels draw
 * from a trained model, computed once at the end of training or by `gat analyze --model BINARY`.
 *
 * Tensors (N nodes, C classes, E' edges incl. self-loops, NH_L heads of layer L):
 *   outputs [N, C] F32 · predictions [N] I32 · confidence [N] F32 (softmax max)
 *   edge_index [2, E'] I32 (row 0 sources, row 1 targets) · labels [N] I32 · split [N] I32 (0 train, 1 val, 2 test, -1 none)
 *   attention.layer{L} [E', NH_L] F32 · entropy.layer{L} [N, NH_L] F32 · uniform_entropy [N] F32
 * Metadata: provenance (see provenance.ts) plus kind 'analysis', analysisVersion, classNames, heads.
 *
 * A training snapshot (runs/<run-id>/snapshots/epoch_<E>.safetensors, see snapshots.ts) is the same
 * file with its float tensors in F16 (read back as float32) and provenance.epoch = E; the integer
 * tensors (predictions, edges, labels, split, multi-label bits) stay exact.
 *
 * Multi-label models (PPI) add, with metadata task 'multi-label' and `graphs` (the dataset's graphs):
 *   multi_labels [N, W] I32 and multi_predictions [N, W] I32: the 0/1 targets and the predictions
 *   (logit > 0), bit-packed 32 labels to a word (W = ⌈C / 32⌉). predictions and confidence then hold
 *   the most probable label and its sigmoid. Real PPI's file is ~80 MB: outputs 27 MB, attention 49 MB.
 */
import type { DatasetSplit, GraphDataset, GraphPart } from '../data/graph';
import { ArtifactReadError, decodeSafetensorsFile, readArtifactBytes } from './artifactRead';
import { writeArtifact, type WriteOptions } from './artifactWrite';
import { attentionEntropy, incomingCounts, predictFromLogits, uniformEntropy, validateAttention } from './attentionStats';
import type { NamedTensor } from './namedTensor';
import { parseProvenance, provenanceMetadata, type Provenance } from './provenance';
import { fromFloat16, toFloat16 } from './float16';
import { encodeSafetensors } from './safetensors';

export const ANALYSIS_VERSION = 1;

export interface AnalysisInput {
  readonly logits: Float32Array; // (N × C)
  readonly edgeSource: Int32Array; // (E')
  readonly edgeTarget: Int32Array; // (E')
  readonly attention: readonly Float32Array[]; // per layer (E' × NH_L), head-minor
  readonly heads: readonly number[]; // NH_L per layer
  readonly labels: Int32Array; // (N)
  readonly split: DatasetSplit;
  readonly classNames: readonly string[];
  readonly provenance: Provenance;
  /** Multi-label datasets: (N, C) 0/1 targets. */
  readonly multiLabels?: Uint8Array;
  /** Inductive datasets: the graphs. */
  readonly graphs?: readonly GraphPart[];
}

/** A model's analysis output on `graph`, with what the dataset adds (labels, split, classes, graphs). */
export function analysisInput(
  output: Pick<AnalysisInput, 'logits' | 'edgeSource' | 'edgeTarget' | 'attention' | 'heads'>,
  graph: Pick<GraphDataset, 'labels' | 'split' | 'classNames' | 'multiLabels' | 'graphs'>,
  provenance: Provenance,
): AnalysisInput {
  return { ...output, labels: graph.labels, split: graph.split, classNames: graph.classNames, provenance, multiLabels: graph.multiLabels, graphs: graph.graphs };
}

/** What a multi-label analysis adds. */
export interface MultiLabelAnalysis {
  readonly targets: Uint8Array; // (N, C) 0/1
  readonly predicted: Uint8Array; // (N, C) 0/1: logit > 0
}

export interface Analysis {
  readonly version: number;
  readonly numNodes: number;
  readonly numClasses: number;
  readonly classNames: readonly string[];
  readonly heads: readonly number[];
  readonly outputs: Float32Array;
  readonly predictions: Int32Array;
  readonly confidence: Float32Array;
  readonly edgeSource: Int32Array;
  readonly edgeTarget: Int32Array;
  readonly labels: Int32Array;
  /** Per node: 0 train, 1 val, 2 test, -1 none. */
  readonly split: Int32Array;
  readonly attention: readonly Float32Array[];
  readonly entropy: readonly Float32Array[];
  readonly uniformEntropy: Float32Array;
  readonly provenance: Provenance;
  readonly multiLabel?: MultiLabelAnalysis;
  readonly graphs?: readonly GraphPart[];
}

/** Validates the attention and derives predictions and entropies. Throws AttentionError on bad input. */
export function computeAnalysis(input: AnalysisInput): Analysis {
  const n = input.labels.length;
  const c = input.classNames.length;
  const counts = incomingCounts(n, input.edgeSource, input.edgeTarget);
  const { predictions, confidence } = predictFromLogits(input.logits, n, c, input.multiLabels !== undefined);
  if (input.attention.length !== input.heads.length) throw new Error(`attention has ${input.attention.length} layers but heads lists ${input.heads.length}`);
  input.attention.forEach((a, l) => validateAttention(l, a, input.heads[l], input.edgeTarget, n));
  return {
    version: ANALYSIS_VERSION,
    numNodes: n,
    numClasses: c,
    classNames: [...input.classNames],
    heads: [...input.heads],
    outputs: input.logits,
    predictions,
    confidence,
    edgeSource: input.edgeSource,
    edgeTarget: input.edgeTarget,
    labels: input.labels,
    split: splitCodes(n, input.split),
    attention: input.attention,
    entropy: input.attention.map((a, l) => attentionEntropy(a, input.heads[l], input.edgeTarget, n)),
    uniformEntropy: uniformEntropy(counts),
    provenance: input.provenance,
    ...(input.multiLabels ? { multiLabel: { targets: input.multiLabels, predicted: Uint8Array.from(input.logits, (z) => (z > 0 ? 1 : 0)) } } : {}),
    ...(input.graphs ? { graphs: input.graphs } : {}),
  };
}

/** (N, C) 0/1 → (N, ⌈C/32⌉) words, label c of node i in bit c % 32 of word ⌊c / 32⌋. */
export function packBits(bits: Uint8Array, n: number, c: number): Int32Array {
  const w = Math.ceil(c / 32);
  const out = new Int32Array(n * w);
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) if (bits[i * c + k]) out[i * w + (k >> 5)] |= 1 << (k & 31);
  return out;
}

export function unpackBits(words: Int32Array, n: number, c: number): Uint8Array {
  const w = Math.ceil(c / 32);
  const out = new Uint8Array(n * c);
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) out[i * c + k] = (words[i * w + (k >> 5)] >>> (k & 31)) & 1;
  return out;
}

/** 'float16' halves the float tensors for snapshots, where a panel needs no more than 3 digits. */
export interface EncodeOptions {
  readonly precision?: 'float32' | 'float16';
}

export function encodeAnalysis(a: Analysis, options: EncodeOptions = {}): Uint8Array {
  const real = options.precision === 'float16' ? toFloat16 : (x: Float32Array): Float32Array | Uint16Array => x;
  const n = a.numNodes;
  const e = a.edgeTarget.length;
  const edgeIndex = new Int32Array(2 * e);
  edgeIndex.set(a.edgeSource, 0);
  edgeIndex.set(a.edgeTarget, e);
  const tensors: NamedTensor[] = [
    { name: 'outputs', shape: [n, a.numClasses], data: real(a.outputs) },
    { name: 'predictions', shape: [n], data: a.predictions },
    { name: 'confidence', shape: [n], data: real(a.confidence) },
    { name: 'edge_index', shape: [2, e], data: edgeIndex },
    { name: 'labels', shape: [n], data: a.labels },
    { name: 'split', shape: [n], data: a.split },
    { name: 'uniform_entropy', shape: [n], data: real(a.uniformEntropy) },
    ...a.attention.map((att, l) => ({ name: `attention.layer${l}`, shape: [e, a.heads[l]], data: real(att) })),
    ...a.entropy.map((ent, l) => ({ name: `entropy.layer${l}`, shape: [n, a.heads[l]], data: real(ent) })),
  ];
  const words = Math.ceil(a.numClasses / 32);
  if (a.multiLabel) {
    tensors.push({ name: 'multi_labels', shape: [n, words], data: packBits(a.multiLabel.targets, n, a.numClasses) });
    tensors.push({ name: 'multi_predictions', shape: [n, words], data: packBits(a.multiLabel.predicted, n, a.numClasses) });
  }
  const metadata = {
    ...provenanceMetadata(a.provenance),
    kind: 'analysis',
    analysisVersion: String(ANALYSIS_VERSION),
    classNames: JSON.stringify(a.classNames),
    heads: JSON.stringify(a.heads),
    ...(a.multiLabel ? { task: 'multi-label' } : {}),
    ...(a.graphs ? { graphs: JSON.stringify(a.graphs) } : {}),
  };
  return encodeSafetensors(tensors, metadata);
}

/** Computes, validates and writes the analysis atomically; returns what was written. */
export async function writeAnalysis(file: string, input: AnalysisInput, options: WriteOptions & EncodeOptions = {}): Promise<Analysis> {
  const analysis = computeAnalysis(input);
  await writeArtifact(file, encodeAnalysis(analysis, options), options);
  return analysis;
}

const REMEDY = 'Run `npx gat analyze --model <models/binaries/…safetensors>` to create it.';

export async function readAnalysis(file: string): Promise<Analysis> {
  return decodeAnalysis(await readArtifactBytes(file, 'analysis', REMEDY), file);
}

/** The most layers and heads per layer an analysis may list (the paper's models have 2–3 layers of ≤ 8 heads). */
const MAX_LAYERS = 64;
const MAX_HEADS = 1024;

/**
 * The analysis in `bytes` (the contents of `file`), with every tensor checked against the others:
 * dtypes, shapes (N nodes, C classes, E' edges, NH_L heads), and the values the panels index with
 * (predictions and labels are classes, edge_index holds node ids, split codes are -1..2). A file
 * that breaks any of it is an ArtifactReadError naming the file and the tensor or metadata field.
 */
export function decodeAnalysis(bytes: Uint8Array, file: string): Analysis {
  const { tensors, metadata } = decodeSafetensorsFile(bytes, file, 'analysis', REMEDY);
  const meta = (key: string): string | undefined => (Object.hasOwn(metadata, key) ? metadata[key] : undefined);
  if (meta('kind') !== 'analysis') throw new ArtifactReadError(file, `${file} is not an analysis file (kind '${meta('kind') ?? 'none'}'). ${REMEDY}`);
  if (meta('analysisVersion') !== String(ANALYSIS_VERSION)) {
    throw new ArtifactReadError(
      file,
      `${file} has analysis format ${meta('analysisVersion') ?? 'unknown'}, but this version of GAT Explorer reads format ${ANALYSIS_VERSION}. Run \`npx gat analyze --model <models/binaries/…safetensors>\` to re-create it.`,
    );
  }
  const fail = (message: string): never => {
    throw new ArtifactReadError(file, `${file} is not a valid analysis: ${message}. ${REMEDY}`);
  };
  const json = (key: string): unknown => {
    const text = meta(key);
    if (text === undefined) fail(`metadata field '${key}' is missing`);
    try {
      return JSON.parse(text!);
    } catch {
      return fail(`metadata field '${key}' is not valid JSON`);
    }
  };
  const heads = json('heads');
  if (!Array.isArray(heads) || heads.length > MAX_LAYERS || !heads.every((h) => Number.isSafeInteger(h) && h >= 1 && h <= MAX_HEADS)) {
    fail(`metadata field 'heads' must list at most ${MAX_LAYERS} layers of 1..${MAX_HEADS} heads`);
  }
  const classNames = json('classNames');
  if (!Array.isArray(classNames) || !classNames.every((c) => typeof c === 'string')) fail("metadata field 'classNames' must be a JSON list of strings");
  const layers = heads as number[];
  const names = classNames as string[];

  const task = meta('task');
  if (task !== undefined && task !== 'multi-label') fail(`metadata field 'task' is '${task}'; only 'multi-label' is known`);
  const multi = task === 'multi-label';
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const expected = new Set(['outputs', 'predictions', 'confidence', 'edge_index', 'labels', 'split', 'uniform_entropy', ...layers.flatMap((_, l) => [`attention.layer${l}`, `entropy.layer${l}`]), ...(multi ? ['multi_labels', 'multi_predictions'] : [])]);
  for (const t of tensors) if (!expected.has(t.name)) fail(`tensor '${t.name}' is not part of an analysis with ${layers.length} layers`);
  // Float tensors may be F32 or (snapshots) F16, read back as float32; integer tensors are I32 only.
  const tensor = <K extends 'F32' | 'I32'>(name: string, dtype: K, shape: readonly number[]): K extends 'F32' ? Float32Array : Int32Array => {
    const t = byName.get(name);
    if (!t) return fail(`tensor '${name}' is missing`);
    const ok = dtype === 'F32' ? t.data instanceof Float32Array || t.data instanceof Uint16Array : t.data instanceof Int32Array;
    if (!ok) fail(`tensor '${name}' must be ${dtype === 'F32' ? 'F32 or F16' : 'I32'}`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) fail(`tensor '${name}' has shape [${t.shape.join(', ')}]; expected [${shape.join(', ')}]`);
    return (t.data instanceof Uint16Array ? fromFloat16(t.data) : t.data) as K extends 'F32' ? Float32Array : Int32Array;
  };
  const outputsShape = byName.get('outputs')?.shape;
  if (!outputsShape) return fail("tensor 'outputs' is missing");
  if (outputsShape.length !== 2) fail(`tensor 'outputs' has shape [${outputsShape.join(', ')}]; expected [nodes, classes]`);
  const [n, c] = outputsShape;
  if (n < 1 || c < 1) fail(`tensor 'outputs' has shape [${n}, ${c}]: an analysis needs at least one node and one class`);
  if (names.length !== c) fail(`metadata field 'classNames' lists ${names.length} classes but tensor 'outputs' has ${c}`);
  const outputs = tensor('outputs', 'F32', [n, c]);
  const edgeShape = byName.get('edge_index')?.shape;
  if (edgeShape && !(edgeShape.length === 2 && edgeShape[0] === 2)) fail(`tensor 'edge_index' has shape [${edgeShape.join(', ')}]; expected [2, edges]`);
  const e = edgeShape ? edgeShape[1] : 0;
  const edgeIndex = tensor('edge_index', 'I32', [2, e]);
  const predictions = tensor('predictions', 'I32', [n]);
  const confidence = tensor('confidence', 'F32', [n]);
  const labels = tensor('labels', 'I32', [n]);
  const split = tensor('split', 'I32', [n]);
  const uniform = tensor('uniform_entropy', 'F32', [n]);
  const attention = layers.map((h, l) => tensor(`attention.layer${l}`, 'F32', [e, h]));
  const entropy = layers.map((h, l) => tensor(`entropy.layer${l}`, 'F32', [n, h]));
  const inRange = (name: string, data: Int32Array, lo: number, hi: number, what: string): void => {
    for (let i = 0; i < data.length; i++) if (!(data[i] >= lo && data[i] < hi)) fail(`tensor '${name}' value ${i} is ${data[i]}, not ${what}`);
  };
  inRange('predictions', predictions, 0, c, `a class (0..${c - 1})`);
  inRange('labels', labels, -1, c, `a class (0..${c - 1}) or -1`);
  inRange('split', split, -1, 3, 'a split code (-1 none, 0 train, 1 val, 2 test)');
  inRange('edge_index', edgeIndex, 0, n, `a node id (0..${n - 1})`);
  const words = Math.ceil(c / 32);
  const multiLabel = multi ? { targets: unpackBits(tensor('multi_labels', 'I32', [n, words]), n, c), predicted: unpackBits(tensor('multi_predictions', 'I32', [n, words]), n, c) } : undefined;
  const graphs = meta('graphs') === undefined ? undefined : graphParts(json('graphs'), n, fail);
  return {
    version: ANALYSIS_VERSION,
    numNodes: n,
    numClasses: c,
    classNames: names,
    heads: layers,
    outputs,
    predictions,
    confidence,
    edgeSource: edgeIndex.slice(0, e),
    edgeTarget: edgeIndex.slice(e),
    labels,
    split,
    attention,
    entropy,
    uniformEntropy: uniform,
    provenance: parseProvenance(metadata),
    ...(multiLabel ? { multiLabel } : {}),
    ...(graphs ? { graphs } : {}),
  };
}

/** The `graphs` metadata: contiguous, in order, covering the nodes, each with a split. */
function graphParts(value: unknown, n: number, fail: (message: string) => never): GraphPart[] {
  if (!Array.isArray(value) || value.length > n) return fail("metadata field 'graphs' must be a list of graphs");
  let next = 0;
  return value.map((g: unknown, i) => {
    const p = g as Partial<GraphPart> | null;
    const ok = typeof p === 'object' && p !== null && Number.isSafeInteger(p.id) && (p.split === 'train' || p.split === 'val' || p.split === 'test') && p.nodeStart === next && Number.isSafeInteger(p.numNodes) && (p.numNodes as number) >= 1;
    if (!ok) fail(`metadata field 'graphs' entry ${i} is not a graph {id, split, nodeStart, numNodes} starting at node ${next}`);
    next += p!.numNodes as number;
    if (next > n) fail(`metadata field 'graphs' covers ${next} nodes but the analysis has ${n}`);
    return { id: p!.id as number, split: p!.split as GraphPart['split'], nodeStart: p!.nodeStart as number, numNodes: p!.numNodes as number };
  });
}

function splitCodes(n: number, split: DatasetSplit): Int32Array {
  const codes = new Int32Array(n).fill(-1);
  for (const [code, nodes] of [split.train, split.val, split.test].entries()) for (const i of nodes) codes[i] = code;
  return codes;
}
