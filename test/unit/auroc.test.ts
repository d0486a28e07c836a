import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { auroc } from '../../src/gat/stats/auroc';

/** The definition itself, over every (positive, negative) pair: 1 when the positive scores higher, ½ for a tie. */
function pairCount(scores: readonly number[], labels: readonly number[]): number | null {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return pairs === 0 ? null : wins / pairs;
}

describe('auroc (Mann–Whitney, ties ½)', () => {
  const cases: Array<{ what: string; scores: number[]; labels: number[]; want: number }> = [
    { what: 'positives all above', scores: [0.1, 0.2, 0.8, 0.9], labels: [0, 0, 1, 1], want: 1 },
    { what: 'positives all below', scores: [0.9, 0.8, 0.2, 0.1], labels: [0, 0, 1, 1], want: 0 },
    { what: 'every score tied', scores: [3, 3, 3, 3, 3], labels: [1, 0, 0, 1, 0], want: 0.5 },
    // Pairs (p, n): (0.8, 0.1) win, (0.8, 0.4) win, (0.35, 0.1) win, (0.35, 0.4) loss: 3 of 4.
    { what: "sklearn's roc_auc_score example", scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1], want: 0.75 },
    // Positive 2 beats 1 and ties 2; positive 1 ties 1: (1 + 0.5 + 0.5) / 4.
    { what: 'ties across the classes count ½', scores: [1, 2, 2, 1], labels: [0, 0, 1, 1], want: 0.5 },
    { what: 'one tie in three pairs', scores: [5, 5, 1, 7], labels: [1, 0, 0, 0], want: (0.5 + 1 + 0) / 3 },
  ];
  for (const c of cases) it(`${c.what}: ${c.want.toFixed(4)}`, () => assert.equal(auroc(c.scores, c.labels), c.want));

  it('equals the brute-force pair count on random scores with many ties (fast-check)', () => {
    const data = fc
      .array(fc.tuple(fc.integer({ min: -4, max: 4 }), fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 60 })
      .map((rows) => ({ scores: rows.map(([s]) => s / 2), labels: rows.map(([, l]) => l) }));
    fc.assert(
      fc.property(data, ({ scores, labels }) => {
        const want = pairCount(scores, labels);
        const got = auroc(Float64Array.from(scores), Uint8Array.from(labels));
        if (want === null) assert.equal(got, null);
        else assert.ok(got !== null && Math.abs(got - want) < 1e-12, `auroc ${got}, pair count ${want}`);
      }),
      { seed: 27, numRuns: 2000 },
    );
  });

  it('equals the pair count on continuous scores; scaling leaves it, negating the scores gives 1 − it', () => {
    const data = fc.array(fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.boolean()), { minLength: 2, maxLength: 200 });
    fc.assert(
      fc.property(data, (rows) => {
        const scores = rows.map(([s]) => s);
        const labels = rows.map(([, l]) => (l ? 1 : 0));
        const want = pairCount(scores, labels);
        const got = auroc(scores, labels);
        if (want === null) return assert.equal(got, null);
        assert.ok(got !== null && Math.abs(got - want) < 1e-12);
        // Exact in floating point (a power of two, a sign), so no new ties appear.
        assert.equal(auroc(scores.map((s) => s * 8), labels), got);
        assert.ok(Math.abs(auroc(scores.map((s) => -s), labels)! - (1 - got)) < 1e-12);
      }),
      { seed: 5, numRuns: 500 },
    );
  });

  it('is 1 − itself when the labels are flipped', () => {
    const scores = [0.3, 0.1, 0.9, 0.9, 0.5, 0.2, 0.7];
    const labels = [1, 0, 1, 0, 0, 1, 1];
    assert.equal(auroc(scores, labels)! + auroc(scores, labels.map((l) => 1 - l))!, 1);
  });

  it('is null (not NaN, not 0.5) when only one class is present, or nothing at all', () => {
    assert.equal(auroc([0.2, 0.9], [1, 1]), null);
    assert.equal(auroc([0.2, 0.9], [0, 0]), null);
    assert.equal(auroc([], []), null);
  });

  it('refuses mismatched lengths, labels other than 0/1 and scores that are not finite, naming the entry', () => {
    assert.throws(() => auroc([1, 2, 3], [0, 1]), /3 scores but 2 labels/);
    assert.throws(() => auroc([1, 2], [0, 2]), /label 1 is 2; labels must be 0 or 1/);
    assert.throws(() => auroc([1, Number.NaN], [0, 1]), /score 1 is NaN/);
    assert.throws(() => auroc([Infinity, 1], [0, 1]), /score 0 is Infinity/);
  });

  it('scores 100,000 entries in well under a second (O(n log n))', () => {
    const n = 100_000;
    const scores = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453));
    const labels = Uint8Array.from({ length: n }, (_, i) => (scores[i] + ((i * 7919) % 13) / 13 > 1 ? 1 : 0));
    const started = performance.now();
    const a = auroc(scores, labels);
    const ms = performance.now() - started;
    assert.ok(a !== null && a > 0.5, `informative scores rank positives higher: ${a}`);
    assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
  });
});
