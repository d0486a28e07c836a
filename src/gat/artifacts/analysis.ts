/**
 * The analysis artifact (runs/<run-id>/analysis.safetensors): everything the explorer panels draw
 * from a trained model, computed once at the end of training or by `gat analyze --model BINARY`.
 *
 * Tensors (N nodes, C classes, E' edges incl. self-loops, NH_L heads of layer L):
 *   outputs [N, C] F32 · predictions [N] I32 · confidence [N] F32 (softmax max)
 *   edge_index [2, E'] I32 (row 0 sources, row 1 targets) · labels [N] I32 · split [N] I32 (0 train, 1 val, 2 test, -1 none)
 *   attention.layer{L} [E', NH_L] F32 · entropy.layer{L} [N, NH_L] F32 · uniform_entropy [N] F32
 * Metadata: provenance (see provenance.ts) plus kind 'analysis', analysisVersion, classNames, heads.
 */
import type { DatasetSplit } from '../data/graph';
import { ArtifactReadError, readSafetensorsFile } from './artifactRead';
import { writeArtifact, type WriteOptions } from './artifactWrite';
import { attentionEntropy, incomingCounts, predictFromLogits, uniformEntropy, validateAttention } from './attentionStats';
import type { NamedTensor } from './namedTensor';
import { parseProvenance, provenanceMetadata, type Provenance } from './provenance';
import { encodeSafetensors, requireTensor } from './safetensors';

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
}

/** Validates the attention and derives predictions and entropies. Throws AttentionError on bad input. */
export function computeAnalysis(input: AnalysisInput): Analysis {
  const n = input.labels.length;
  const c = input.classNames.length;
  const counts = incomingCounts(n, input.edgeSource, input.edgeTarget);
  const { predictions, confidence } = predictFromLogits(input.logits, n, c);
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
  };
}

export function encodeAnalysis(a: Analysis): Uint8Array {
  const n = a.numNodes;
  const e = a.edgeTarget.length;
  const edgeIndex = new Int32Array(2 * e);
  edgeIndex.set(a.edgeSource, 0);
  edgeIndex.set(a.edgeTarget, e);
  const tensors: NamedTensor[] = [
    { name: 'outputs', shape: [n, a.numClasses], data: a.outputs },
    { name: 'predictions', shape: [n], data: a.predictions },
    { name: 'confidence', shape: [n], data: a.confidence },
    { name: 'edge_index', shape: [2, e], data: edgeIndex },
    { name: 'labels', shape: [n], data: a.labels },
    { name: 'split', shape: [n], data: a.split },
    { name: 'uniform_entropy', shape: [n], data: a.uniformEntropy },
    ...a.attention.map((att, l) => ({ name: `attention.layer${l}`, shape: [e, a.heads[l]], data: att })),
    ...a.entropy.map((ent, l) => ({ name: `entropy.layer${l}`, shape: [n, a.heads[l]], data: ent })),
  ];
  const metadata = {
    ...provenanceMetadata(a.provenance),
    kind: 'analysis',
    analysisVersion: String(ANALYSIS_VERSION),
    classNames: JSON.stringify(a.classNames),
    heads: JSON.stringify(a.heads),
  };
  return encodeSafetensors(tensors, metadata);
}

/** Computes, validates and writes the analysis atomically; returns what was written. */
export async function writeAnalysis(file: string, input: AnalysisInput, options: WriteOptions = {}): Promise<Analysis> {
  const analysis = computeAnalysis(input);
  await writeArtifact(file, encodeAnalysis(analysis), options);
  return analysis;
}

const REMEDY = 'Run `npx gat analyze --model <models/binaries/…safetensors>` to create it.';

export async function readAnalysis(file: string): Promise<Analysis> {
  const { tensors, metadata } = await readSafetensorsFile(file, 'analysis', REMEDY);
  if (metadata.kind !== 'analysis') throw new ArtifactReadError(file, `${file} is not an analysis file (kind '${metadata.kind ?? 'none'}'). ${REMEDY}`);
  if (metadata.analysisVersion !== String(ANALYSIS_VERSION)) {
    throw new ArtifactReadError(
      file,
      `${file} has analysis format ${metadata.analysisVersion ?? 'unknown'}, but this version of GAT Explorer reads format ${ANALYSIS_VERSION}. Run \`npx gat analyze --model <models/binaries/…safetensors>\` to re-create it.`,
    );
  }
  const t = (name: string): NamedTensor => requireTensor(tensors, name, file);
  const heads = JSON.parse(metadata.heads ?? '[]') as number[];
  const outputs = t('outputs');
  const edgeIndex = t('edge_index').data as Int32Array;
  const e = edgeIndex.length / 2;
  return {
    version: ANALYSIS_VERSION,
    numNodes: outputs.shape[0],
    numClasses: outputs.shape[1],
    classNames: JSON.parse(metadata.classNames ?? '[]') as string[],
    heads,
    outputs: outputs.data as Float32Array,
    predictions: t('predictions').data as Int32Array,
    confidence: t('confidence').data as Float32Array,
    edgeSource: edgeIndex.slice(0, e),
    edgeTarget: edgeIndex.slice(e),
    labels: t('labels').data as Int32Array,
    split: t('split').data as Int32Array,
    attention: heads.map((_, l) => t(`attention.layer${l}`).data as Float32Array),
    entropy: heads.map((_, l) => t(`entropy.layer${l}`).data as Float32Array),
    uniformEntropy: t('uniform_entropy').data as Float32Array,
    provenance: parseProvenance(metadata),
  };
}

function splitCodes(n: number, split: DatasetSplit): Int32Array {
  const codes = new Int32Array(n).fill(-1);
  for (const [code, nodes] of [split.train, split.val, split.test].entries()) for (const i of nodes) codes[i] = code;
  return codes;
}
