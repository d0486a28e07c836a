import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { GraphDataset } from '../../src/gat/data/graph';
import { formatSummary, nodeSummary } from '../../src/gat/records/nodeRecord';
import type { GraphSnapshot } from '../../src/protocol/webviewMessages';
import { buildGraphModel, categories, centreOn, colourModes, fitTransform, neighboursOf, nodeCategories, parseNodeQuery, soloHidden, stepFocus, toggleHidden, tooltipText, visibleMask, type GraphModel } from '../../src/figures/graphModel';
import { graphSvg, SVG_EDGE_BUDGET } from '../../src/figures/graphSvg';
import { bigGraphSnapshot } from '../helpers/bigGraphSnapshot';
import { NodeIndex } from '../../src/webview/graphView/hitTest';
import { agreementColours, classColours, contrastRatio, outcomeColours, parseHex, THEME_BACKGROUND, themeKindOf, type ThemeKind } from '../../src/figures/palette';
import { coraSnapshots, fakeRun } from '../helpers/coraPanels';

const KINDS: ThemeKind[] = ['light', 'dark', 'high-contrast', 'high-contrast-light'];

describe('graph view-model (webview side, pure)', () => {
  let cora: GraphDataset;
  let plain: GraphSnapshot;
  let withRun: GraphSnapshot;
  let m: GraphModel;
  before(async () => {
    ({ cora, plain, withRun } = await coraSnapshots());
    m = buildGraphModel(plain);
  });

  it('builds symmetric adjacency and sizes nodes by degree', () => {
    assert.equal(neighboursOf(m, 1358).length, 168);
    assert.deepEqual([...neighboursOf(m, 1358)].sort((a, b) => a - b), [...cora.edgeSource.subarray(...range1358(cora))]);
    let biggest = 0;
    for (let i = 1; i < m.n; i++) if (m.r[i] > m.r[biggest]) biggest = i;
    assert.equal(biggest, 1358);
    assert.ok(m.edgeWidth.every((w) => w >= 0.3 && w <= 2.7 + 1e-6));
  });

  it('words the tooltip exactly as node records do, with and without a run', () => {
    const run = fakeRun(cora);
    for (const node of [0, 3, 1358, 1708, 2707]) {
      assert.equal(tooltipText(plain, node), formatSummary(nodeSummary(cora, node)));
      assert.equal(tooltipText(withRun, node), formatSummary(nodeSummary(cora, node, { ...run })));
    }
    assert.match(tooltipText(plain, 1358), /degree 168/);
  });

  it('colours by class, prediction or outcome, with legend counts', () => {
    assert.deepEqual(colourModes(plain), ['class']);
    assert.deepEqual(colourModes(withRun), ['class', 'predicted', 'correct']);
    const byClass = categories(plain, 'class', nodeCategories(plain, 'class'), classColours('dark', 7), outcomeColours('dark'));
    assert.deepEqual(
      byClass.map((c) => c.count),
      [351, 217, 418, 818, 426, 298, 180],
    );
    const outcome = categories(withRun, 'correct', nodeCategories(withRun, 'correct'), classColours('dark', 7), outcomeColours('dark'));
    assert.deepEqual(
      outcome.map((c) => c.name),
      ['correct', 'wrong'],
    );
    assert.equal(outcome[1].count, Array.from({ length: 2708 }, (_, i) => i).filter((i) => i % 7 === 3).length);
  });

  it('colours by the agreement of two runs, and the tooltip gives both predictions', () => {
    const a = fakeRun(cora, 'run-a');
    // B gets every node right except those with i % 5 === 0.
    const b = { runId: 'run-b', predictions: Int32Array.from(cora.labels, (label, i) => (i % 5 === 0 ? (label + 2) % 7 : label)), confidence: new Float32Array(cora.numNodes).fill(0.5) };
    const compared: GraphSnapshot = { ...withRun, run: { runId: 'run-a', predictions: Array.from(a.predictions), confidence: Array.from(a.confidence) }, comparison: { runId: 'run-b', predictions: Array.from(b.predictions), confidence: Array.from(b.confidence) } };
    assert.deepEqual(colourModes(compared), ['agreement', 'class', 'predicted', 'correct']);
    const nodes = Array.from({ length: cora.numNodes }, (_, i) => i);
    const aWrong = (i: number): boolean => i % 7 === 3;
    const bWrong = (i: number): boolean => i % 5 === 0;
    const legend = categories(compared, 'agreement', nodeCategories(compared, 'agreement'), classColours('dark', 7), outcomeColours('dark'), 0, agreementColours('dark'));
    assert.deepEqual(legend.map((c) => [c.name, c.count]), [
      ['both right', nodes.filter((i) => !aWrong(i) && !bWrong(i)).length],
      ['only A right', nodes.filter((i) => !aWrong(i) && bWrong(i)).length],
      ['only B right', nodes.filter((i) => aWrong(i) && !bWrong(i)).length],
      ['both wrong', nodes.filter((i) => aWrong(i) && bWrong(i)).length],
    ]);
    assert.equal(new Set(legend.map((c) => c.colour)).size, 4, 'four distinct colours');
    for (const kind of KINDS) for (const c of agreementColours(kind)) assert.ok(contrastRatio(c, THEME_BACKGROUND[kind]) >= 3, `${kind} ${c}`);
    // node 15: A right (15 mod 7 is not 3), B wrong (15 mod 5 is 0)
    assert.match(tooltipText(compared, 15), /\nA predicted \S+ \([\d.]+%\) ✓ correct\nB predicted \S+ \(50\.0%\) ✗ wrong$/);
  });

  it('hides and solos categories', () => {
    assert.deepEqual(toggleHidden([], 3), [3]);
    assert.deepEqual(toggleHidden([1, 3], 3), [1]);
    assert.deepEqual(soloHidden([], 2, 4), [0, 1, 3]);
    assert.deepEqual(soloHidden([0, 1, 3], 2, 4), [], 'soloing the solo category shows all');
    const visible = visibleMask(nodeCategories(plain, 'class'), [3]);
    assert.equal(visible.reduce((a, b) => a + b, 0), 2708 - 818);
  });

  it('hit-tests nodes by their disc with a few pixels of slack, and skips hidden ones', () => {
    const t = fitTransform(m, 1000, 700);
    const all = new NodeIndex(m, new Uint8Array(m.n).fill(1));
    const at = (i: number): [number, number] => [t.x + t.k * m.x[i], t.y + t.k * m.y[i]];
    assert.equal(all.nodeAt(...at(1358), t), 1358);
    const zoomed = centreOn(m.x[42], m.y[42], 20, 1000, 700);
    assert.equal(all.nodeAt(500, 350, zoomed), 42);
    assert.equal(all.nodeAt(500 + 20 * m.r[42] + 10, 350, zoomed), undefined, 'beyond the slack: no node');
    const hidden = new NodeIndex(m, visibleMask(nodeCategories(plain, 'class'), [plain.labels[42]]));
    assert.notEqual(hidden.nodeAt(500, 350, zoomed), 42);
  });

  it('fits the graph inside the view and centres on nodes', () => {
    const t = fitTransform(m, 800, 600, 10);
    assert.ok(t.x + t.k * m.bounds.x0 >= 9.99 && t.x + t.k * m.bounds.x1 <= 790.01);
    assert.ok(t.y + t.k * m.bounds.y0 >= 9.99 && t.y + t.k * m.bounds.y1 <= 590.01);
    const c = centreOn(m.x[7], m.y[7], 3, 800, 600);
    assert.ok(Math.abs(c.x + 3 * m.x[7] - 400) < 1e-9 && Math.abs(c.y + 3 * m.y[7] - 300) < 1e-9);
  });

  it('moves keyboard focus in the arrow’s direction, preferring neighbours', () => {
    const visible = new Uint8Array(m.n).fill(1);
    for (const dir of ['left', 'right', 'up', 'down'] as const) {
      const next = stepFocus(m, visible, 1358, dir);
      assert.notEqual(next, undefined);
      const [dx, dy] = [m.x[next!] - m.x[1358], m.y[next!] - m.y[1358]];
      const along = { left: -dx, right: dx, up: -dy, down: dy }[dir];
      assert.ok(along > 0, `${dir} moves ${dir}`);
      assert.ok(neighboursOf(m, 1358).includes(next!), 'a hub has a neighbour in every direction');
    }
  });

  it('parses node searches', () => {
    assert.equal(parseNodeQuery(' 1358 ', 2708), 1358);
    assert.equal(parseNodeQuery('node 7', 2708), 7);
    for (const bad of ['2708', '-1', 'x', '', '1.5']) assert.equal(parseNodeQuery(bad, 2708), undefined, bad);
  });

  it('exports an SVG with every visible node and the legend', () => {
    const category = nodeCategories(plain, 'class');
    const legend = categories(plain, 'class', category, classColours('light', 7), outcomeColours('light'));
    const svg = graphSvg(m, { transform: fitTransform(m, 800, 600), width: 800, height: 600, visible: visibleMask(category, [6]), category, colours: legend.map((c) => c.colour), background: '#ffffff', foreground: '#333333', legend, title: 'cora <graph>' });
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal((svg.match(/<circle class="node"/g) ?? []).length, 2708 - 180);
    assert.match(svg, /Theory \(351\)/);
    assert.match(svg, /cora &#60;graph&#62;/);
  });

  it('exports what the view shows: zoomed in, only the nodes and edges in view; on a big graph, the widest edges up to the SVG budget', () => {
    const category = nodeCategories(plain, 'class');
    const legend = categories(plain, 'class', category, classColours('light', 7), outcomeColours('light'));
    const base = { width: 800, height: 600, visible: visibleMask(category, []), category, colours: legend.map((c) => c.colour), background: '#ffffff', foreground: '#333333', legend, title: 'cora' };
    const fit = fitTransform(m, 800, 600);
    const zoomed = { k: fit.k * 6, x: 400 - fit.k * 6 * m.x[1358], y: 300 - fit.k * 6 * m.y[1358] };
    const svg = graphSvg(m, { ...base, transform: zoomed });
    const nodes = [...svg.matchAll(/data-node="(\d+)"/g)].map((x) => Number(x[1]));
    assert.ok(nodes.includes(1358) && nodes.length > 10 && nodes.length < 2708, `${nodes.length} nodes in the zoomed view`);
    const lines = (svg.match(/<line /g) ?? []).length;
    assert.ok(lines >= 168 && lines < 5278, `${lines} edges in the zoomed view (node 1358 alone has 168)`);
    // A big graph (generated, 300,000 edges) at the fit: the widest SVG_EDGE_BUDGET edges, said so.
    const big = buildGraphModel(bigGraphSnapshot(30_000, 300_000).snapshot);
    const bigCategory = new Uint8Array(big.n);
    const bigSvg = graphSvg(big, { ...base, visible: new Uint8Array(big.n).fill(1), category: bigCategory, transform: fitTransform(big, 800, 600) });
    assert.equal((bigSvg.match(/<line /g) ?? []).length, SVG_EDGE_BUDGET);
    assert.match(bigSvg, new RegExp(`<desc>The widest ${SVG_EDGE_BUDGET} of the 300000 edges in view`));
    const widths = [...bigSvg.matchAll(/<line [^>]*stroke-width="([\d.]+)"/g)].map((x) => Number(x[1]));
    const narrowest = Math.min(...widths);
    assert.ok(Array.from(big.edgeWidth).filter((w) => w > narrowest + 0.01).length <= SVG_EDGE_BUDGET, 'no edge left out is wider than one kept');
  });

  it('keeps every class colour ≥ 3:1 against its theme background, and the colours apart', () => {
    for (const kind of KINDS) {
      const colours = [...classColours(kind, 7), ...outcomeColours(kind)];
      for (const c of colours) assert.ok(contrastRatio(c, THEME_BACKGROUND[kind]) >= 3, `${kind} ${c}`);
      const classes = classColours(kind, 7).map(parseHex);
      for (let a = 0; a < 7; a++) for (let b = a + 1; b < 7; b++) assert.ok(Math.hypot(...classes[a].map((v, i) => v - classes[b][i])) > 50, `${kind}: ${a} and ${b} too close`);
    }
    assert.equal(themeKindOf(classList(['vscode-light'])), 'light');
    assert.equal(themeKindOf(classList(['vscode-high-contrast', 'vscode-high-contrast-light'])), 'high-contrast-light');
    assert.equal(themeKindOf(classList([])), 'dark');
  });
});

function range1358(g: GraphDataset): [number, number] {
  let start = -1;
  let end = -1;
  for (let e = 0; e < g.edgeTarget.length; e++) {
    if (g.edgeTarget[e] === 1358) {
      if (start < 0) start = e;
      end = e + 1;
    }
  }
  return [start, end];
}

function classList(names: string[]): { contains(token: string): boolean } {
  return { contains: (token) => names.includes(token) };
}
