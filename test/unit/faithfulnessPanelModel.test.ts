/**
 * The Faithfulness panel's pure parts: a `gat faithfulness` summary becomes one line per method over
 * increasing k (random dashed, gaps where the characterization score is undefined), charts of the
 * run and its twin share their y ranges, hidden methods leave the charts, the table holds the same
 * numbers, the verdict reads attention against random and the best method; the figure's markup
 * places the k evenly and says its numbers; and the uniform-attention twin is the run whose
 * configuration differs in attention alone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunRecord } from '../../src/gat/artifacts/runRecord';
import { attentionOf, findAttentionTwin, isAttentionTwin } from '../../src/gat/compare/uniformTwin';
import { fidelityFigure } from '../../src/figures/faithfulnessFigure';
import { fidelityCharts, methodsOf, RANKING_ORDER, tableRows, TABLE_COLUMNS, verdict } from '../../src/figures/faithfulnessModel';
import type { FidelitySummary, RankingMethod } from '../../src/protocol/faithfulness';
import type { FaithfulnessResults } from '../../src/protocol/faithfulnessSnapshot';

/** A summary row: fid+ and fid− given, the rest derived so every field differs (a mix-up shows). */
function row(method: RankingMethod, k: number, fidelityPlus: number, fidelityMinus: number, characterization: number | null = 0.5, drop = 0.1 * k): FidelitySummary {
  return { method, k, nodes: 30, fidelityPlus, fidelityMinus, characterization, probabilityDropPlus: drop, probabilityDropMinus: -drop / 2, secondsPerNode: 0.01 * k };
}

// As the CLI writes them: methods in its order, each at the ks in the order given (--k 5,1,10).
const learned: FaithfulnessResults = {
  selection: '30 test nodes (seed 1)',
  nodes: 30,
  ks: [5, 1, 10],
  summary: [
    row('attention', 5, 0.2, 0.4), row('attention', 1, 0.1, 0.6), row('attention', 10, 0.3, 0.3),
    row('leave-one-out', 5, 0.5, 0.2), row('leave-one-out', 1, 0.3, 0.5), row('leave-one-out', 10, 0.6, 0.1),
    row('random', 5, 0.05, 0.7, null), row('random', 1, 0, 0.9, null, -0.05), row('random', 10, 0.1, 0.6, 0.2),
  ],
};
const uniform: FaithfulnessResults = { ...learned, summary: learned.summary.map((s) => ({ ...s, probabilityDropPlus: s.probabilityDropPlus * 3 })) };

describe('Faithfulness panel model', () => {
  it('one line per method in the CLI\'s order, random last and dashed, points at increasing k', () => {
    const [[fidPlus, fidMinus, characterization]] = fidelityCharts([learned], 'fidelity');
    assert.deepEqual([fidPlus.key, fidMinus.key, characterization.key], ['fid-plus', 'fid-minus', 'characterization']);
    assert.deepEqual(fidPlus.ks, [1, 5, 10]);
    assert.deepEqual(fidPlus.series.map((s) => [s.method, s.dashed]), [['attention', false], ['leave-one-out', false], ['random', true]]);
    assert.deepEqual(fidPlus.series[0].points, [[1, 0.1], [5, 0.2], [10, 0.3]]);
    assert.deepEqual(fidMinus.series[1].points, [[1, 0.5], [5, 0.2], [10, 0.1]]);
    assert.deepEqual(characterization.series[2].points, [[1, null], [5, null], [10, 0.2]], 'an undefined score is a gap, not 0');
    assert.deepEqual(fidPlus.yDomain, [0, 1], 'a share of predictions: always 0 to 1');
  });

  it('the probability drops share one y range between the run and its twin, and reach below 0 when a drop is negative', () => {
    const [run, twin] = fidelityCharts([learned, uniform], 'probability');
    assert.deepEqual(run.map((c) => c.key), ['drop-plus', 'drop-minus', 'characterization']);
    assert.deepEqual(run[0].yDomain, twin[0].yDomain, 'the same height is the same number on both');
    const twinMax = Math.max(...uniform.summary.map((s) => s.probabilityDropPlus));
    assert.ok(run[0].yDomain[1] >= twinMax, `the shared range ${run[0].yDomain} covers the twin's largest drop ${twinMax}`);
    assert.ok(run[0].yDomain[0] <= -0.05 * 3, 'a negative drop is inside the range');
    assert.ok(run[1].yDomain[0] < 0, 'Δp− (kept edges raise p) goes below 0');
  });

  it('hidden methods leave every chart; the legend still knows them', () => {
    const [[fidPlus]] = fidelityCharts([learned], 'fidelity', new Set<RankingMethod>(['attention', 'random']));
    assert.deepEqual(fidPlus.series.map((s) => s.method), ['leave-one-out']);
    assert.deepEqual(methodsOf(learned), ['attention', 'leave-one-out', 'random']);
    assert.equal(RANKING_ORDER.at(-1), 'random');
  });

  it('the table lists every method and k with the same numbers, "—" for an undefined score', () => {
    const rows = tableRows(learned);
    assert.equal(rows.length, 9);
    assert.deepEqual(rows.slice(0, 3).map((r) => [r.method, r.k]), [['attention', 1], ['attention', 5], ['attention', 10]]);
    assert.equal(TABLE_COLUMNS.length, 2 + rows[0].cells.length);
    assert.deepEqual(rows[1].cells, ['0.200', '0.400', '0.500', '0.500', '-0.250', '0.050']);
    assert.equal(rows.find((r) => r.method === 'random' && r.k === 1)!.cells[2], '—');
  });

  it('the verdict reads attention at k = 5 against random and the best other method', () => {
    assert.equal(verdict(learned), 'Removing the top 5 edges by attention changes 20.0 % of predictions; 5.0 % for random edges; 50.0 % by leave-one-out (30 test nodes (seed 1), 30 nodes).');
    const noFive: FaithfulnessResults = { ...learned, ks: [1, 10], summary: learned.summary.filter((s) => s.k !== 5) };
    assert.match(verdict(noFive), /^Removing the top 10 edges by attention changes 30\.0 % of predictions; 10\.0 % for random edges; 60\.0 % by leave-one-out/);
    assert.equal(verdict({ ...learned, summary: learned.summary.filter((s) => s.method !== 'attention') }), '');
  });

  it('the figure places the k evenly, dashes random, breaks a line at a gap, and names itself for a screen reader', () => {
    const [[fidPlus, , characterization]] = fidelityCharts([learned], 'fidelity');
    const colours = { attention: '#d18616', 'leave-one-out': '#3794ff', saliency: '#89d185', 'integrated-gradients': '#b180d7', gnnexplainer: '#f14c4c', random: '#9d9d9d' };
    const svg = fidelityFigure(fidPlus, { width: 300, height: 200, colours, foreground: '#ccc', subject: 'Run r1 <learned>' });
    const xs = [...svg.matchAll(/<circle cx="([\d.]+)"[^>]*data-k="(\d+)"/g)].filter((m) => svg.indexOf(m[0]) < svg.indexOf('data-method="leave-one-out"')).map((m) => Number(m[1]));
    assert.equal(xs.length, 3);
    assert.ok(Math.abs(xs[1] - xs[0] - (xs[2] - xs[1])) < 0.02, `k = 1, 5, 10 evenly apart: ${xs}`);
    assert.match(svg, /<g class="fidelity-series" data-method="random"><path d="[^"]+" fill="none" stroke="#9d9d9d" stroke-width="1.75" stroke-dasharray="5 3">/);
    assert.doesNotMatch(svg.slice(svg.indexOf('data-method="attention"'), svg.indexOf('data-method="leave-one-out"')), /stroke-dasharray/);
    assert.match(svg, /aria-label="fid\+: top k edges removed, Run r1 &lt;learned&gt;: predictions changed against k \(the table below lists the numbers\)"/);
    assert.match(svg, /<title>attention · k = 5 · 0\.200<\/title>/);
    const random = fidelityFigure(characterization, { width: 300, height: 200, colours, foreground: '#ccc', subject: 's' });
    const d = /data-method="random"><path d="([^"]+)"/.exec(random)![1];
    assert.equal((d.match(/M/g) ?? []).length, 1, 'one segment: only k = 10 is defined');
    assert.doesNotMatch(d, /L/);
  });
});

/** A run record as `gat train` writes one, with what the twin finder reads set per case. */
function record(runId: string, config: Record<string, unknown>, extra: Partial<RunRecord> = {}): RunRecord {
  const base = { seed: 42, lr: 0.005, weightDecay: 0.0005, dropout: 0.6, heads: [8, 1], hidden: [8], engine: 'auto', numOfEpochs: 200, patiencePeriod: 1000, checkpointFreq: 1000 };
  return { runId, dataset: 'cora', status: 'completed', startedAt: runId, config: { ...base, ...config }, ...extra } as RunRecord;
}

describe('the uniform-attention twin', () => {
  const learnedRun = record('2026-01-01T00-00-00Z-cora', {});
  it('is the completed run on the same dataset whose configuration differs in attention alone', () => {
    const twin = record('2026-01-02T00-00-00Z-cora', { attention: 'uniform', engine: 'fused', threads: 2, checkpointFreq: 50 });
    assert.equal(isAttentionTwin(learnedRun, twin), true, 'engine, threads and checkpoint spacing change no result');
    assert.equal(isAttentionTwin(twin, learnedRun), true, 'and back: a uniform run\'s twin is its learned original');
    assert.equal(attentionOf(learnedRun), 'learned');
    assert.equal(attentionOf(twin), 'uniform');
  });

  it('is not a run that differs in anything else, trains another dataset, did not complete, or is the run itself', () => {
    const cases: Array<[string, RunRecord]> = [
      ['another learning rate', record('b', { attention: 'uniform', lr: 0.01 })],
      ['another seed', record('c', { attention: 'uniform', seed: 7 })],
      ['more epochs', record('d', { attention: 'uniform', numOfEpochs: 300 })],
      ['another dataset', record('e', { attention: 'uniform' }, { dataset: 'citeseer' })],
      ['a cancelled run', record('f', { attention: 'uniform' }, { status: 'cancelled' })],
      ['learned attention too', record('g', { attention: 'learned' })],
      ['the run itself', learnedRun],
    ];
    for (const [what, other] of cases) assert.equal(isAttentionTwin(learnedRun, other), false, what);
  });

  it('the newest twin wins; none is undefined', () => {
    const older = record('2026-01-02T00-00-00Z-cora', { attention: 'uniform' });
    const newer = record('2026-01-03T00-00-00Z-cora', { attention: 'uniform' });
    assert.equal(findAttentionTwin(learnedRun, [older, learnedRun, newer, record('x', { attention: 'uniform', lr: 1 })])?.runId, newer.runId);
    assert.equal(findAttentionTwin(learnedRun, [learnedRun]), undefined);
  });
});
