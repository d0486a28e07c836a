/**
 * The two apps on the shared graph screen (src/webview/graphView/graphScreen.ts): the graph app
 * (dist/webview/graph.js) and the embedding app (dist/webview/embedding.js) each show their own
 * controls and none of the other's, and take their own host messages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GraphSnapshot } from '../../src/protocol/webviewMessages';
import { coraSnapshots } from '../helpers/coraPanels';
import { repoRoot } from '../helpers/paths';
import { drawnNodes, nodeScreenPoint, openGraph } from './graphPage';
import { launchChromium, openPanel, withPanel, type BrowserHandle } from './harness';

describe('the graph and embedding apps in Chromium (Cora)', () => {
  let chromium: BrowserHandle;
  let withRun: GraphSnapshot;
  let map: GraphSnapshot;
  before(async () => {
    withRun = (await coraSnapshots()).withRun;
    // A map of the run's points: the graph's positions stand in for a t-SNE, without edges.
    map = { ...withRun, edgeU: [], edgeV: [], edgeThickness: [], embedding: { settings: { perplexity: 30, iterations: 1000, seed: 42 }, status: 'done', iteration: 1000, kl: 1.5 } };
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
  });

  it('the graph app has the node actions and the layout progress, and no t-SNE controls', async () => {
    await withPanel(openGraph(chromium, withRun), async (p) => {
      assert.equal(await p.page.getAttribute('#app', 'class'), 'graph-app');
      assert.equal(await p.page.isVisible('.show-attention'), true, 'a run: the selected node\'s attention');
      assert.equal(await p.page.isVisible('.step-through'), true);
      assert.equal(await p.page.locator('.layout-progress').count(), 1);
      assert.equal(await p.page.locator('.embedding-controls').count(), 0);
      assert.match((await p.page.textContent('.toolbar .status')) ?? '', /^2,708 nodes · 5,278 edges$/);
      // a t-SNE step is not the graph's message: the nodes keep their places (focus centres 1358 where the graph has it)
      await p.post({ type: 'embeddingLayout', x: Array.from(map.x, (v) => v * 2), y: Array.from(map.y), info: map.embedding! });
      await p.post({ type: 'graphFocus', node: 1358 });
      await p.page.waitForSelector('canvas.graph-canvas[data-focused="1358"]');
      const [x, y] = await nodeScreenPoint(p, withRun, 1358, false);
      const box = (await p.page.locator('canvas.graph-canvas').boundingBox())!;
      assert.ok(Math.abs(x - box.width / 2) < 2 && Math.abs(y - box.height / 2) < 2, `1358 at ${x}, ${y} of ${box.width} × ${box.height}`);
    });
  });

  it('the embedding app has the t-SNE controls and no node actions; right-click offers no node menu', async () => {
    await withPanel(openGraph(chromium, map), async (p) => {
      assert.equal(await p.page.getAttribute('#app', 'class'), 'graph-app');
      assert.equal(await drawnNodes(p), 2708);
      assert.equal(await p.page.isVisible('.embedding-controls'), true);
      assert.equal(await p.page.inputValue('.tsne-perplexity'), '30');
      assert.equal(await p.page.locator('.show-attention, .step-through, .layout-progress').count(), 0);
      assert.match((await p.page.textContent('.toolbar .status')) ?? '', /^2,708 points \(t-SNE of the model's outputs\)$/);
      const [x, y] = await nodeScreenPoint(p, map, 1358);
      await p.page.mouse.click(x, y, { button: 'right' });
      assert.deepEqual(JSON.parse((await p.page.getAttribute('canvas.graph-canvas', 'data-vscode-context'))!), { preventDefaultContextMenuItems: true });
    });
  });

  it('the embedding app says why there is no map when the run has no analysis', async () => {
    await withPanel(openPanel(chromium, repoRoot, 'embedding'), async (p) => {
      await p.post({ type: 'analysisUnavailable', provenance: { dataset: 'cora', runId: 'r1' }, message: 'Run r1 has no analysis artifact. Regenerate it with: npx gat analyze --model "m.safetensors"' });
      await p.page.waitForSelector('.toolbar .status:text("npx gat analyze")');
      assert.match((await p.page.textContent('.provenance')) ?? '', /run r1/);
    });
  });
});
