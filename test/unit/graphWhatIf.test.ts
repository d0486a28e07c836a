/**
 * What-if edits from the graph panel (src/webview/graph/graphWhatIf.ts): the selected node is the one
 * edited, a neighbour of it (right-clicked, or focused with the arrow keys) names the edge; anything
 * else is one line that says how to name an edge.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { areNeighbours, nodeMenuKeys, removeEdgeRequest } from '../../src/webview/graph/graphWhatIf';

/** A path 0 – 1 – 2 and a lone node 3, as buildGraphModel lays out adjacency (both directions). */
const m = { offsets: Int32Array.from([0, 1, 3, 4, 4]), neighbours: Int32Array.from([1, 0, 2, 1]) };
const name = (n: number): string => String(n + 100); // an inductive graph's page ids differ from dataset ids

describe('graph panel what-if: naming an edge by two nodes', () => {
  it('knows which nodes are neighbours, either way round', () => {
    assert.deepEqual([areNeighbours(m, 0, 1), areNeighbours(m, 1, 0), areNeighbours(m, 2, 1), areNeighbours(m, 0, 2), areNeighbours(m, 3, 0), areNeighbours(m, 1, 1)], [true, true, true, false, false, false]);
  });

  it("Delete: the selected node's computation without its edge from the focused neighbour", () => {
    assert.deepEqual(removeEdgeRequest(m, 1, 2, name), { node: 1, removeEdgeFrom: 2 });
    assert.deepEqual(removeEdgeRequest(m, 0, 1, name), { node: 0, removeEdgeFrom: 1 });
  });

  it('Delete without two adjacent nodes says how to name an edge, in one line, with dataset ids', () => {
    const how = 'select a node (click it, or Enter), move to one of its neighbours with the arrow keys, then Delete removes their edge in the selected node’s computation (what if)';
    assert.equal(removeEdgeRequest(m, undefined, 1, name), `To remove an edge: ${how}.`);
    assert.equal(removeEdgeRequest(m, 1, undefined, name), `To remove an edge: ${how}.`);
    assert.equal(removeEdgeRequest(m, 1, 1, name), `To remove an edge: ${how}.`);
    assert.equal(removeEdgeRequest(m, 0, 2, name), `Node 102 is not a neighbour of the selected node 100: ${how}.`);
  });

  it("the node menu offers the edge to the selected node only on that node's neighbours", () => {
    assert.deepEqual(nodeMenuKeys(m, 1, 0), { edgeToSelected: true, selected: 1 });
    assert.deepEqual(nodeMenuKeys(m, 0, 1), { edgeToSelected: true, selected: 0 }, 'node 0 selected is still named');
    assert.deepEqual(nodeMenuKeys(m, 0, 2), {});
    assert.deepEqual(nodeMenuKeys(m, 1, 1), {});
    assert.deepEqual(nodeMenuKeys(m, undefined, 1), {});
  });
});
