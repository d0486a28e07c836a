/**
 * Edge level of detail for the WebGL graph view: the order of importance (widest first, a
 * permutation, equal widths spread evenly) and how many edges a view draws within a budget.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { edgeOrder, edgesAtLeast, edgesToDraw } from '../../src/figures/edgeDetail';

const bounds = { x0: 0, y0: 0, x1: 1000, y1: 1000 };

describe('edge level of detail', () => {
  it('orders edges widest first, as a permutation of all of them', () => {
    const edgeWidth = Float32Array.from({ length: 5000 }, (_, k) => 0.3 + ((k * 7919) % 1000) / 400);
    const { order, widths } = edgeOrder({ edgeWidth });
    assert.equal(order.length, 5000);
    assert.equal(new Set(order).size, 5000, 'every edge once');
    for (let i = 0; i < order.length; i++) assert.equal(widths[i], edgeWidth[order[i]]);
    for (let i = 1; i < widths.length; i++) assert.ok(widths[i] <= widths[i - 1], `widths rise at ${i}`);
  });

  it('spreads edges of equal width over the order (a prefix samples all of them, not the first ids)', () => {
    const edgeWidth = new Float32Array(100_000).fill(0.3);
    const { order } = edgeOrder({ edgeWidth });
    const prefix = Array.from(order.subarray(0, 1000));
    const mean = prefix.reduce((a, b) => a + b, 0) / prefix.length;
    assert.ok(Math.abs(mean - 50_000) < 5000, `mean id of the first 1,000: ${mean}`);
    assert.ok(prefix.some((e) => e < 10_000) && prefix.some((e) => e > 90_000));
  });

  it('draws every edge while those in view fit the budget, the widest `budget` zoomed out, more zoomed in', () => {
    const m = { bounds, edgeWidth: new Float32Array(1_000_000) };
    assert.equal(edgesToDraw({ bounds, edgeWidth: new Float32Array(5000) }, { k: 1, x: 0, y: 0 }, 1000, 1000, 150_000), 5000);
    assert.equal(edgesToDraw(m, { k: 1, x: 0, y: 0 }, 1000, 1000, 150_000), 150_000, 'the whole graph in view');
    // Zoomed 4×: a sixteenth of the graph in view, so 16× the budget (capped at all edges).
    assert.equal(edgesToDraw(m, { k: 4, x: 0, y: 0 }, 1000, 1000, 50_000), 800_000);
    assert.equal(edgesToDraw(m, { k: 10, x: 0, y: 0 }, 1000, 1000, 50_000), 1_000_000);
    // Looking away from the graph: nothing of it in view, the cap still holds.
    assert.equal(edgesToDraw(m, { k: 1, x: 5000, y: 5000 }, 1000, 1000, 50_000), 1_000_000);
  });

  it('counts the edges at least a width wide (the wide-edge passes)', () => {
    const widths = Float32Array.from([3, 2.5, 2, 2, 1, 0.5]);
    assert.equal(edgesAtLeast(widths, 2), 4);
    assert.equal(edgesAtLeast(widths, 3.5), 0);
    assert.equal(edgesAtLeast(widths, 0), 6);
  });
});
