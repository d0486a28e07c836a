import assert from 'node:assert/strict';
import type { NamedTensor } from '../../src/gat/artifacts/namedTensor';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ArtifactReadError } from '../../src/gat/artifacts/artifactRead';
import { writeFileAtomic } from '../../src/gat/io/atomicWrite';
import { computeAnalysis, decodeAnalysis, encodeAnalysis, readAnalysis, writeAnalysis, type AnalysisInput } from '../../src/gat/artifacts/analysis';
import { AttentionError } from '../../src/gat/artifacts/attentionStats';
import { writeModelBinary } from '../../src/gat/artifacts/checkpoint';
import { decodeSafetensors, encodeSafetensors } from '../../src/gat/artifacts/safetensors';
import { collectProvenance } from '../../src/gat/artifacts/provenance';
import { tempDir } from '../helpers/tempDir';

/** A 5-node graph: undirected edges 0-1, 1-2, 2-3, 1-3, node 4 alone; both directions plus a self-loop each. */
const UNDIRECTED: Array<[number, number]> = [[0, 1], [1, 2], [2, 3], [1, 3]];
const N = 5;
const DEGREE = [1, 3, 2, 2, 0];
const edges: Array<[number, number]> = [...UNDIRECTED.flatMap(([a, b]): Array<[number, number]> => [[a, b], [b, a]]), ...Array.from({ length: N }, (_, i): [number, number] => [i, i])];
const edgeSource = Int32Array.from(edges, ([s]) => s);
const edgeTarget = Int32Array.from(edges, ([, t]) => t);
const E = edges.length;

/** Attention from per-edge scores: softmax over each target's incoming edges, per head (what a GAT layer does). */
function softmaxByTarget(heads: number, score: (e: number, h: number) => number): Float32Array {
  const out = new Float32Array(E * heads);
  for (let h = 0; h < heads; h++) {
    const z = new Float64Array(N);
    for (let e = 0; e < E; e++) z[edgeTarget[e]] += Math.exp(score(e, h));
    for (let e = 0; e < E; e++) out[e * heads + h] = Math.exp(score(e, h)) / z[edgeTarget[e]];
  }
  return out;
}
const uniform = (heads: number): Float32Array => softmaxByTarget(heads, () => 0);
const peaked = softmaxByTarget(2, (e, h) => (h === 0 ? 0 : ((e * 7919) % 13) / 3));

const provenance = { ...collectProvenance({ dataset: 'tiny', datasetChecksums: { x: 'abc' }, config: { heads: [2, 1] }, seed: 3, backend: 'cpu', cwd: '/' }), epoch: 9 };
const input = (over: Partial<AnalysisInput> = {}): AnalysisInput => ({
  logits: Float32Array.from([0, Math.log(3), 0, 2, 0, 1, 5, 5, -100, -1, 0, 0, 0, 0, 7]),
  edgeSource,
  edgeTarget,
  attention: [peaked, uniform(1)],
  heads: [2, 1],
  labels: Int32Array.from([1, 0, 2, 2, 1]),
  split: { train: Int32Array.from([0, 1]), val: Int32Array.from([2]), test: Int32Array.from([3]) },
  classNames: ['a', 'b', 'c'],
  provenance,
  ...over,
});

describe('analysis statistics', () => {
  it('uniform entropy is log(degree + 1) over the neighbourhood with its self-loop', () => {
    const a = computeAnalysis(input());
    assert.deepEqual(Array.from(a.uniformEntropy), DEGREE.map((d) => Math.fround(Math.log(d + 1))));
  });

  it('the entropy of uniform attention equals the uniform entropy, for every node and head', () => {
    const a = computeAnalysis(input({ attention: [uniform(2), uniform(1)] }));
    for (const [l, heads] of [2, 1].entries()) {
      for (let i = 0; i < N; i++) for (let h = 0; h < heads; h++) assert.ok(Math.abs(a.entropy[l][i * heads + h] - a.uniformEntropy[i]) < 1e-6, `layer ${l} node ${i} head ${h}`);
    }
  });

  it('peaked attention has lower entropy, matching −Σ p ln p computed by hand', () => {
    const a = computeAnalysis(input());
    const node = 1; // neighbours 0, 2, 3 and itself
    const ps = edges.flatMap(([, t], e) => (t === node ? [peaked[e * 2 + 1]] : []));
    assert.equal(ps.length, 4);
    const byHand = -ps.reduce((s, p) => s + p * Math.log(p), 0);
    assert.ok(Math.abs(a.entropy[0][node * 2 + 1] - byHand) < 1e-6);
    assert.ok(byHand < Math.log(4) - 0.05, 'strictly below uniform');
    assert.ok(Math.abs(a.entropy[0][node * 2 + 0] - Math.log(4)) < 1e-6, 'head 0 is uniform');
    assert.equal(a.entropy[0][4 * 2 + 1], 0, 'a node with only its self-loop has zero entropy');
  });

  it('predicts the arg-max class with its softmax probability as confidence', () => {
    const a = computeAnalysis(input());
    assert.deepEqual(Array.from(a.predictions), [1, 0, 0, 1, 2], 'ties go to the lower class index');
    assert.ok(Math.abs(a.confidence[0] - 0.6) < 1e-6, 'softmax(0, ln 3, 0) max = 3/5');
    assert.ok(Math.abs(a.confidence[2] - 0.5) < 1e-6, 'a tie between two classes: 1/2');
    assert.deepEqual(Array.from(a.split), [0, 0, 1, 2, -1]);
  });
});

describe('attention validation on write', () => {
  const bad: Array<[string, () => AnalysisInput, RegExp]> = [
    ['weights that do not sum to 1', () => input({ attention: [peaked.map((p, i) => (i === 0 ? p + 0.1 : p)), uniform(1)] }), /layer 0 head 0 sums to 1\.1\d+ over the neighbourhood of node 1, not 1/],
    ['a negative weight', () => input({ attention: [peaked, uniform(1).map((p, i) => (i === 2 ? -0.5 : p))] }), /layer 1 head 0 on edge 2 is -0\.5, outside \[0, 1\]/],
    ['a NaN weight', () => input({ attention: [peaked, uniform(1).map((p, i) => (i === 3 ? NaN : p))] }), /edge 3 is NaN/],
    ['the wrong number of values', () => input({ attention: [peaked.subarray(2), uniform(1)] }), /layer 0 has 24 values; expected 13 edges × 2 heads = 26/],
    ['a node without incoming edges', () => input({ edgeSource: edgeSource.subarray(0, E - 1), edgeTarget: edgeTarget.subarray(0, E - 1) }), /node 4 has no incoming edge/],
  ];
  for (const [what, make, message] of bad) {
    it(`rejects ${what} and writes nothing`, async () => {
      const file = path.join(tempDir(), 'analysis.safetensors');
      await assert.rejects(writeAnalysis(file, make()), (e: unknown) => e instanceof AttentionError && message.test(e.message));
      assert.equal(existsSync(file), false);
    });
  }
});

describe('analysis file', () => {
  it('round-trips every tensor, the class names, heads and provenance', async () => {
    const file = path.join(tempDir(), 'runs', 'r', 'analysis.safetensors');
    const written = await writeAnalysis(file, input());
    const back = await readAnalysis(file);
    assert.deepEqual(back, written);
    assert.deepEqual(Array.from(back.outputs), Array.from(input().logits));
    assert.equal(back.provenance.dataset, 'tiny');
    assert.equal(back.provenance.epoch, 9);
    assert.deepEqual(back.classNames, ['a', 'b', 'c']);
  });

  it('explains how to create a missing analysis', async () => {
    const file = path.join(tempDir(), 'analysis.safetensors');
    await assert.rejects(readAnalysis(file), (e: unknown) => e instanceof ArtifactReadError && e.message.startsWith(`no analysis at ${file}.`) && e.message.includes('npx gat analyze --model'));
  });

  it('asks to re-create an analysis of an older or unknown format', async () => {
    const file = path.join(tempDir(), 'old.safetensors');
    const bytes = Buffer.from(encodeAnalysis(computeAnalysis(input())));
    // Rewrite the version digit in place (same length, so offsets stay valid): an "older" file.
    const at = bytes.indexOf('"analysisVersion":"1"');
    assert.ok(at > 0);
    bytes.write('0', at + '"analysisVersion":"'.length);
    await writeFileAtomic(file, bytes);
    await assert.rejects(readAnalysis(file), (e: unknown) => e instanceof ArtifactReadError && /has analysis format 0, but this version of GAT Explorer reads format 1\. Run `npx gat analyze/.test(e.message));
  });

  /** The analysis of input() re-encoded with one tensor or metadata field changed. */
  const altered = (change: (tensors: Map<string, { shape: number[]; data: NamedTensor['data'] }>, meta: Record<string, string>) => void): Uint8Array => {
    const { tensors, metadata } = decodeSafetensors(encodeAnalysis(computeAnalysis(input())));
    const byName = new Map(tensors.map((t) => [t.name, { shape: [...t.shape], data: t.data }]));
    const meta = { ...metadata };
    change(byName, meta);
    return encodeSafetensors([...byName].map(([name, t]) => ({ name, ...t })), meta);
  };
  const refusedNaming = (bytes: Uint8Array, what: RegExp): void =>
    assert.throws(() => decodeAnalysis(bytes, '/runs/r/analysis.safetensors'), (e: unknown) => e instanceof ArtifactReadError && e.message.startsWith('/runs/r/analysis.safetensors is not a valid analysis: ') && what.test(e.message));

  it('refuses tensors whose shapes disagree with each other, naming the tensor', () => {
    refusedNaming(altered((t) => void t.set('predictions', { shape: [4], data: new Int32Array(4) })), /tensor 'predictions' has shape \[4\]; expected \[5\]/);
    refusedNaming(altered((t) => void t.set('attention.layer1', { shape: [3, 1], data: new Float32Array(3) })), /tensor 'attention.layer1' has shape \[3, 1\]; expected \[\d+, 1\]/);
    refusedNaming(altered((t) => void t.delete('entropy.layer0')), /tensor 'entropy.layer0' is missing/);
    refusedNaming(altered((t) => void t.set('labels', { shape: [5], data: new Float32Array(5) })), /tensor 'labels' must be I32/);
  });

  it('refuses values the panels would index with, and metadata that is not what it says', () => {
    refusedNaming(altered((t) => void (t.get('predictions')!.data[2] = 3)), /tensor 'predictions' value 2 is 3, not a class \(0..2\)/);
    refusedNaming(altered((t) => void (t.get('edge_index')!.data[0] = -1)), /tensor 'edge_index' value 0 is -1, not a node id/);
    refusedNaming(altered((t) => void (t.get('split')!.data[4] = 7)), /tensor 'split' value 4 is 7/);
    refusedNaming(altered((_, m) => void (m.heads = '[2, 1')), /metadata field 'heads' is not valid JSON/);
    refusedNaming(altered((_, m) => void (m.heads = '[2]')), /tensor 'attention.layer1' is not part of an analysis with 1 layers/);
    refusedNaming(altered((_, m) => void (m.classNames = '["a","b"]')), /metadata field 'classNames' lists 2 classes but tensor 'outputs' has 3/);
  });

  it('refuses a model binary passed as an analysis', async () => {
    const file = path.join(tempDir(), 'model.safetensors');
    await writeModelBinary(file, [{ name: 'w', shape: [1], data: new Float32Array(1) }], {});
    await assert.rejects(readAnalysis(file), /is not an analysis file \(kind 'model'\)\. Run `npx gat analyze/);
  });
});
