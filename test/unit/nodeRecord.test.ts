import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { computeAnalysis } from '../../src/gat/artifacts/analysis';
import { collectProvenance } from '../../src/gat/artifacts/provenance';
import type { GraphDataset } from '../../src/gat/data/graph';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { analysisNodeView } from '../../src/gat/records/analysisView';
import { buildNodeRecord, formatSummary, nodeSummary, parseNodeId, UnknownNodeError } from '../../src/gat/records/nodeRecord';

describe('node records', () => {
  let cora: GraphDataset;
  before(async () => {
    cora = await loadPlanetoid('cora');
  });

  it('parses node ids and rejects unknown ones with the valid range', () => {
    assert.equal(parseNodeId(cora, ' 1358 '), 1358);
    for (const bad of ['2708', '-1', '1.5', 'abc', '', '1e3']) {
      assert.throws(() => parseNodeId(cora, bad), (e: unknown) => e instanceof UnknownNodeError && /from 0 to 2707/.test(e.message), bad);
    }
  });

  it("shows node 1358's class, split, degree and every neighbour as a `node N` reference", () => {
    const text = buildNodeRecord(cora, 1358);
    assert.match(text, /^# node 1358 · cora/);
    assert.match(text, new RegExp(`- class: ${cora.classNames[cora.labels[1358]]} \\(${cora.labels[1358]}\\)`));
    assert.match(text, /- degree: 168 \(169 with its self-loop\)/);
    assert.match(text, /## Neighbours \(168\)/);
    const refs = [...text.matchAll(/^- node (\d+) · /gm)].map((m) => Number(m[1]));
    assert.equal(refs.length, 168);
    const features = cora.features.indptr[1359] - cora.features.indptr[1358];
    assert.match(text, new RegExp(`## Features \\(${features} words of 1433`));
  });

  it('summarises a node in one line, and adds the prediction for a run', () => {
    assert.equal(formatSummary(nodeSummary(cora, 0)), `node 0 · ${cora.classNames[cora.labels[0]]} · train · degree 3`);
    const predictions = Int32Array.from(cora.labels);
    predictions[0] = (cora.labels[0] + 1) % 7;
    const s = nodeSummary(cora, 0, { runId: 'r', predictions, confidence: new Float32Array(cora.numNodes).fill(0.75) });
    assert.match(formatSummary(s), /predicted .* \(75\.0%\) ✗ wrong/);
  });

  it("shows a run's attention and entropy from its analysis", () => {
    // A uniform-attention analysis over Cora's real edges (with self-loops): weights are 1/(deg+1).
    const src: number[] = [];
    const trg: number[] = [];
    for (let e = 0; e < cora.edgeSource.length; e++) {
      src.push(cora.edgeSource[e]);
      trg.push(cora.edgeTarget[e]);
    }
    for (let i = 0; i < cora.numNodes; i++) {
      src.push(i);
      trg.push(i);
    }
    const deg = new Int32Array(cora.numNodes);
    for (const t of trg) deg[t]++;
    const att1 = new Float32Array(trg.length * 8);
    trg.forEach((t, e) => att1.fill(1 / deg[t], e * 8, (e + 1) * 8));
    const att2 = Float32Array.from(trg, (t) => 1 / deg[t]);
    const analysis = computeAnalysis({
      logits: new Float32Array(cora.numNodes * 7).map((_, i) => (i % 7 === cora.labels[Math.floor(i / 7)] ? 2 : 0)),
      edgeSource: Int32Array.from(src),
      edgeTarget: Int32Array.from(trg),
      attention: [att1, att2],
      heads: [8, 1],
      labels: cora.labels,
      split: cora.split,
      classNames: cora.classNames,
      provenance: collectProvenance({ dataset: 'cora', datasetChecksums: {}, config: {}, seed: 1, backend: 'cpu' }),
    });
    const view = analysisNodeView('run-1', analysis);
    const given = view.attentionGiven!(1358);
    assert.equal(given[0].neighbours.length, 169);
    assert.ok(given[0].neighbours.includes(1358), 'the self-loop is part of the neighbourhood');
    assert.ok(Math.abs(given[0].weights[0] - 1 / 169) < 1e-7);
    const entropy = view.entropy!(1358);
    assert.ok(Math.abs(entropy[0].uniform - Math.log(169)) < 1e-5);
    assert.ok(Math.abs(entropy[1].perHead[0] - Math.log(169)) < 1e-4, 'uniform attention has the uniform entropy');
    const text = buildNodeRecord(cora, 1358, view);
    assert.match(text, /## Prediction \(run run-1\)/);
    assert.match(text, /^- attention: open the attention panel for this node$/m);
    assert.match(text, /correct/);
    assert.match(text, /### Attention given, layer 1 \(8 heads; uniform = 0\.0059\)/);
    assert.match(text, /- node 1358 \(self\): 0\.0059/);
  });

  it('shows a second run\'s prediction and the agreement when compared (Compare Runs)', () => {
    const a = { runId: 'run-a', predictions: Int32Array.from(cora.labels), confidence: new Float32Array(cora.numNodes).fill(0.9) };
    const b = { runId: 'run-b', predictions: Int32Array.from(cora.labels, (l) => (l + 1) % 7), confidence: new Float32Array(cora.numNodes).fill(0.6) };
    const text = buildNodeRecord(cora, 1358, a, b);
    assert.match(text, new RegExp(`## Compared with run run-b\n\n- predicted: ${cora.classNames[(cora.labels[1358] + 1) % 7]} \\(\\d\\), confidence 60\\.0%, wrong\n- agreement: only A right \\(A: run run-a, B: run run-b\\)`));
    assert.doesNotMatch(buildNodeRecord(cora, 1358, a), /Compared with/);
  });
});
