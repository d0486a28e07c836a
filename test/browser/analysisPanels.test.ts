import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { attentionSnapshotData, entropySnapshotData } from '../../src/gat/analysis/panelData';
import type { Analysis } from '../../src/gat/artifacts/analysis';
import { embeddingSnapshot, scaleEmbedding } from '../../src/gat/panels/embeddingSnapshot';
import { runTsne } from '../../src/gat/tsne/tsne';
import type { AttentionSnapshot, EntropySnapshot } from '../../src/protocol/analysisSnapshots';
import type { GraphSnapshot } from '../../src/protocol/webviewMessages';
import { drawnNodes, nodeScreenPoint, openGraph } from './graphPage';
import type { ExportImage, WebviewToHost } from '../../src/protocol/webviewMessages';
import { repoRoot } from '../helpers/paths';
import { launchChromium, openPanel, withPanel, type BrowserHandle, type PanelPage } from './harness';
import { trainedCora } from './trainedCora';

/** A real (short) Cora training gives the real analysis artifact the panels draw. */
describe('attention and entropy panels in Chromium (a trained Cora run)', () => {
  let chromium: BrowserHandle;
  let analysis: Analysis;
  let attention: AttentionSnapshot;
  let entropy: EntropySnapshot;
  let runId: string;
  let tsneStart: GraphSnapshot;
  let tsneDone: { x: number[]; y: number[]; kl: number; intermediate: Float64Array };

  before(async () => {
    const trained = await trainedCora('cpu');
    const { cora, provenance } = trained;
    runId = trained.runId;
    analysis = trained.analysis;
    attention = { type: 'attentionSnapshot', provenance, data: attentionSnapshotData('cora', runId, analysis, 1358, 1), numNodes: analysis.numNodes, layers: 2 };
    entropy = { type: 'entropySnapshot', provenance, data: entropySnapshotData('cora', runId, analysis, 1), layers: 2 };
    // The embedding map: real t-SNE of the real outputs (fewer iterations to keep the test quick).
    const settings = { perplexity: 30, iterations: 300, seed: 3 };
    let intermediate = new Float64Array(0);
    const tsne = runTsne(analysis.outputs, analysis.numNodes, analysis.numClasses, settings, { layoutEvery: 100, onLayout: (i, e) => i === 100 && (intermediate = Float64Array.from(e)) });
    const scaled = scaleEmbedding(tsne.embedding, analysis.numNodes);
    tsneDone = { x: Array.from(scaled.x), y: Array.from(scaled.y), kl: tsne.kl, intermediate };
    tsneStart = embeddingSnapshot(cora, analysis, runId, provenance, new Float64Array(2 * analysis.numNodes), { settings, status: 'computing', iteration: 0 });
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
  });

  async function open(app: string, snapshot: AttentionSnapshot | EntropySnapshot): Promise<PanelPage> {
    const p = await openPanel(chromium, repoRoot, app);
    await p.post(snapshot as never);
    await p.page.waitForSelector('[data-drawn]:not([data-drawn="0"])');
    return p;
  }

  it('draws node 1358, layer 1, head 1 with exactly the attention weights of the artifact', async () => {
    await withPanel(open('attention', attention), async (p) => {
      const drawn = await p.page.$$eval('.attention-svg .edge', (els) => els.map((e) => [Number(e.getAttribute('data-node')), Number(e.getAttribute('data-weight'))] as [number, number]));
      assert.equal(drawn.length, 169, '168 neighbours + the self-loop');
      // Independent reading of the artifact: edges whose target is 1358, head 0 of layer 1.
      const expected = new Map<number, number>();
      for (let e = 0; e < analysis.edgeTarget.length; e++) if (analysis.edgeTarget[e] === 1358) expected.set(analysis.edgeSource[e], analysis.attention[0][e * 8]);
      for (const [node, weight] of drawn) assert.ok(Math.abs(weight - expected.get(node)!) < 1e-6, `node ${node}: drawn ${weight}, artifact ${expected.get(node)}`);
      assert.match((await p.page.textContent('.summary')) ?? '', /node 1358 .* 168 neighbours \+ self · uniform weight 1\/\(degree\+1\) = 0\.0059/);
      assert.match((await p.page.textContent('.provenance')) ?? '', new RegExp(`run ${runId}`));
    });
  });

  it('switches heads, shows all heads side by side, and keeps the choice in its state', async () => {
    await withPanel(open('attention', attention), async (p) => {
      await p.page.selectOption('.head-select', '3');
      const head3 = await p.page.$$eval('.attention-svg .edge', (els) => els.map((e) => Number(e.getAttribute('data-weight'))));
      const first = analysis.edgeTarget.indexOf(1358);
      assert.ok(Math.abs(head3[0] - analysis.attention[0][first * 8 + 3]) < 1e-6 || head3.some((w) => Math.abs(w - analysis.attention[0][first * 8 + 3]) < 1e-6));
      await p.page.selectOption('.head-select', 'all');
      assert.equal(await p.page.$$eval('.attention-svg', (els) => els.length), 8);
      assert.equal((await p.state<{ head: string | number }>())?.head, 'all');
    });
  });

  it('shows the exact weight and the uniform baseline on hover, and opens the record on click', async () => {
    await withPanel(open('attention', attention), async (p) => {
      const target = attention.data.neighbours.find((n) => !n.isSelf)!;
      const circle = p.page.locator(`.attention-svg .node[data-node="${target.node}"]`);
      await circle.hover();
      const tip = (await p.page.textContent('.tooltip')) ?? '';
      assert.match(tip, new RegExp(`node ${target.node} · ${attention.data.classNames[target.label]}`));
      assert.match(tip, new RegExp(`attention ${target.weights[0].toFixed(4)} · uniform 0\\.0059`));
      await circle.click();
      const posted = await p.posted();
      assert.deepEqual(posted[posted.length - 1], { type: 'openRecord', dataset: 'cora', node: target.node, runId });
    });
  });

  it('Step through is off until the snapshot is drawn, then asks the host for the shown node', async () => {
    const p = await openPanel(chromium, repoRoot, 'attention');
    await withPanel(Promise.resolve(p), async () => {
      // Before any snapshot there is no node: the button is disabled, and a click posts nothing.
      await p.page.waitForSelector('.step-through');
      assert.equal(await p.page.getAttribute('.step-through', 'disabled'), '');
      await p.page.locator('.step-through').click({ force: true });
      assert.deepEqual((await p.posted()).filter((m: WebviewToHost) => m.type === 'stepThrough'), []);
      await p.post(attention);
      await p.page.waitForSelector('.step-through:not([disabled])');
      await p.page.click('.step-through');
      assert.deepEqual((await p.posted()).filter((m: WebviewToHost) => m.type === 'stepThrough'), [{ type: 'stepThrough', node: 1358 }]);
    });
  });

  it('asks the host for another layer or node', async () => {
    await withPanel(open('attention', attention), async (p) => {
      await p.page.selectOption('.layer-select', '2');
      await p.page.fill('.node-input', '12');
      await p.page.press('.node-input', 'Enter');
      const posted = (await p.posted()).filter((m: WebviewToHost) => m.type === 'attentionRequest');
      assert.deepEqual(posted, [{ type: 'attentionRequest', node: 1358, layer: 2 }, { type: 'attentionRequest', node: 12, layer: 2 }]);
    });
  });

  it('draws per-head entropy histograms whose counts match the artifact, and a bin lists its nodes', async () => {
    await withPanel(open('entropy', entropy), async (p) => {
      assert.equal(await p.page.$$eval('.entropy-grid svg', (els) => els.length), 8);
      const learned = await p.page.$$eval('.entropy-grid svg[data-head="0"] .learned-bars rect', (els) => els.map((e) => Number(e.getAttribute('data-count'))));
      const uniform = await p.page.$$eval('.entropy-grid svg[data-head="0"] .uniform-bars rect', (els) => els.map((e) => Number(e.getAttribute('data-count'))));
      assert.equal(learned.reduce((a, b) => a + b, 0), 2708);
      assert.equal(uniform.reduce((a, b) => a + b, 0), 2708);
      // Independent check: uniform entropy log(deg+1) for the 485 degree-1 nodes… count nodes per
      // distinct uniform value from the artifact and compare with the drawn uniform bars' mass.
      const distinct = new Map<number, number>();
      for (const u of analysis.uniformEntropy) distinct.set(Number(u.toFixed(5)), (distinct.get(Number(u.toFixed(5))) ?? 0) + 1);
      const lowest = Math.min(...distinct.keys());
      assert.equal(uniform[0], distinct.get(lowest), 'the first bin holds exactly the nodes with the smallest neighbourhood');
      assert.match((await p.page.textContent('.summary')) ?? '', /nats of uniform/);
      const bin = learned.findIndex((c) => c > 0);
      await p.page.locator(`.entropy-grid svg[data-head="0"] .learned-bars rect[data-bin="${bin}"]`).click();
      assert.equal(await p.page.$$eval('.bin-nodes .bin-node', (els) => els.length), Math.min(200, learned[bin]));
      await p.page.locator('.bin-nodes .show-attention').first().click();
      const posted = await p.posted();
      assert.equal(posted[posted.length - 1].type, 'showAttention');
    });
  });

  it('says what is missing and how to regenerate it when the artifact is unavailable', async () => {
    await withPanel(openPanel(chromium, repoRoot, 'entropy'), async (p) => {
      await p.post({ type: 'analysisUnavailable', provenance: null, message: 'Run r has no analysis artifact. Regenerate it with: npx gat analyze --model "m.safetensors"' });
      assert.match((await p.page.textContent('.summary')) ?? '', /npx gat analyze --model/);
      assert.equal(await p.page.$$eval('.entropy-grid svg', (els) => els.length), 0);
    });
  });

  it('exports the figures as SVG and PNG', async () => {
    await withPanel(open('attention', attention), async (p) => {
      await p.page.locator('.export-svg').click();
      await p.page.locator('.export-png').click();
      await p.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.filter((m) => m.type === 'exportImage').length === 2);
      const exports = (await p.posted()).filter((m): m is ExportImage => m.type === 'exportImage');
      assert.match(exports[0].data, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.equal((exports[0].data.match(/class="edge( self)?"/g) ?? []).length, 169);
      const png = Buffer.from(exports[1].data.replace(/^data:image\/png;base64,/, ''), 'base64');
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.equal(exports[1].suggestedName, 'attention-node1358-layer1-head1.png');
    });
  });

  it('draws the t-SNE map of the run\'s outputs, animating from the first layouts to the final one', async () => {
    await withPanel(openGraph(chromium, tsneStart), async (p) => {
      assert.equal(await p.page.getAttribute('body', 'data-tsne-status'), 'computing');
      assert.match((await p.page.textContent('.tsne-progress')) ?? '', /iteration 0 of 300/);
      const mid = scaleEmbedding(tsneDone.intermediate, 2708);
      await p.post({ type: 'embeddingLayout', x: Array.from(mid.x), y: Array.from(mid.y), info: { settings: tsneStart.embedding!.settings, status: 'computing', iteration: 100 } });
      await p.page.waitForFunction(() => document.querySelector('.tsne-progress')?.textContent?.includes('iteration 100'));
      await p.post({ type: 'embeddingLayout', x: tsneDone.x, y: tsneDone.y, info: { settings: tsneStart.embedding!.settings, status: 'done', iteration: 300, kl: tsneDone.kl, seconds: 1.5 } });
      await p.page.waitForSelector('body[data-tsne-status="done"]');
      assert.equal(await drawnNodes(p), 2708);
      assert.equal(await p.page.getAttribute('canvas.graph-canvas', 'data-drawn-edges'), '0', 'a map of points, no edges');
      assert.match((await p.page.textContent('.tsne-progress')) ?? '', new RegExp(`KL ${tsneDone.kl.toFixed(3)}`));
      assert.deepEqual((await p.state<{ embeddingSettings: unknown }>())?.embeddingSettings, { perplexity: 30, iterations: 300, seed: 3 });
    });
  });

  it('hovering a t-SNE point shows its record summary, clicking opens it; re-run and show-in-graph ask the host', async () => {
    const done = { ...tsneStart, x: tsneDone.x, y: tsneDone.y, embedding: { ...tsneStart.embedding!, status: 'done' as const, iteration: 300, kl: tsneDone.kl } };
    await withPanel(openGraph(chromium, done), async (p) => {
      const [x, y] = await nodeScreenPoint(p, done, 1358);
      await p.page.mouse.move(x, y);
      await p.page.waitForSelector('.tooltip:not([hidden])');
      assert.match((await p.page.textContent('.tooltip')) ?? '', /node 1358/);
      await p.page.mouse.click(x, y);
      const posted = await p.posted();
      assert.ok(posted.some((m) => m.type === 'openRecord' && m.node === 1358 && m.runId === runId), JSON.stringify(posted.slice(-3)));
      await p.page.fill('.tsne-perplexity', '20');
      await p.page.locator('.tsne-rerun').click();
      await p.page.locator('.show-in-graph').click();
      const last = (await p.posted()).slice(-2);
      assert.deepEqual(last[0], { type: 'embeddingRequest', settings: { perplexity: 20, iterations: 300, seed: 3 } });
      assert.deepEqual(last[1], { type: 'showInGraph', dataset: 'cora', node: 1358 });
    });
  });
});
