import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ExportImage, GraphPanelState, GraphSnapshot } from '../../src/protocol/webviewMessages';
import { coraSnapshots } from '../helpers/coraPanels';
import { launchChromium, withPanel, type BrowserHandle, type PanelPage } from './harness';
import { canvasPixel, drawnNodes, nodeScreenPoint, openGraph } from './graphPage';

describe('graph panel in Chromium (Cora)', () => {
  let chromium: BrowserHandle;
  let plain: GraphSnapshot;
  let withRun: GraphSnapshot;
  let p: PanelPage;
  before(async () => {
    ({ plain, withRun } = await coraSnapshots());
    chromium = await launchChromium();
    p = await openGraph(chromium, plain);
  });
  after(async () => {
    await chromium?.close();
  });

  it('draws every node and edge of Cora, with the provenance header and legend', async () => {
    assert.equal(await drawnNodes(p), 2708);
    assert.equal(await p.page.getAttribute('canvas.graph-canvas', 'data-drawn-edges'), '5278');
    const header = await p.page.textContent('.provenance');
    assert.match(header ?? '', /dataset cora · sha256 [0-9a-f]{12}…/);
    const legend = await p.page.$$eval('.legend-toggle', (els) => els.map((e) => e.textContent));
    assert.deepEqual(legend, ['Theory (351)', 'Reinforcement_Learning (217)', 'Genetic_Algorithms (418)', 'Neural_Networks (818)', 'Probabilistic_Methods (426)', 'Case_Based (298)', 'Rule_Learning (180)']);
    // Node 1358 (the hub) is painted in its class colour, not the background.
    const [x, y] = await nodeScreenPoint(p, plain, 1358, false);
    const pixel = await canvasPixel(p, x, y);
    assert.notDeepEqual(pixel.slice(0, 3), [30, 30, 30]);
  });

  it('hovering node 1358 highlights it and shows its record summary', async () => {
    const [x, y] = await nodeScreenPoint(p, plain, 1358);
    await p.page.mouse.move(x, y);
    await p.page.waitForSelector('.tooltip:not([hidden])');
    const text = await p.page.textContent('.tooltip');
    assert.match(text ?? '', new RegExp(`node 1358 · ${plain.classNames[plain.labels[1358]]} · ${plain.split[1358]} · degree 168`));
    assert.equal(await p.page.getAttribute('canvas.graph-canvas', 'data-hovered'), '1358');
  });

  it('clicking a node posts openRecord for it', async () => {
    const [x, y] = await nodeScreenPoint(p, plain, 1358);
    await p.page.mouse.click(x, y);
    const opened = (await p.posted()).filter((m) => m.type === 'openRecord');
    assert.deepEqual(opened.at(-1), { type: 'openRecord', dataset: 'cora', node: 1358 });
  });

  it('search zooms to the node and centres it', async () => {
    const before = await p.page.getAttribute('canvas.graph-canvas', 'data-transform');
    await p.page.fill('.node-search', '42');
    await p.page.press('.node-search', 'Enter');
    const after = await p.page.getAttribute('canvas.graph-canvas', 'data-transform');
    assert.notEqual(after, before);
    const [k, tx, ty] = (after ?? '').split(',').map(Number);
    assert.ok(k > Number(before?.split(',')[0]), 'zoomed in');
    const box = (await p.page.locator('canvas.graph-canvas').boundingBox())!;
    assert.ok(Math.abs(tx + k * plain.x[42] - box.width / 2) < 2 && Math.abs(ty + k * plain.y[42] - box.height / 2) < 2, 'node 42 is centred');
    assert.match((await p.page.textContent('.tooltip')) ?? '', /^node 42 · /);
    await p.page.fill('.node-search', '9999');
    await p.page.press('.node-search', 'Enter');
    assert.match((await p.page.textContent('.status')) ?? '', /No node “9999”: ids are 0–2707/);
  });

  it('legend toggles hide a class, solo shows one, show all restores', async () => {
    await p.page.click('.fit-button');
    await p.page.click('.legend-toggle[data-key="3"]');
    assert.equal(await drawnNodes(p), 2708 - 818);
    assert.equal(await p.page.getAttribute('.legend-toggle[data-key="3"]', 'aria-pressed'), 'false');
    await p.page.click('.legend-solo[data-key="0"]');
    assert.equal(await drawnNodes(p), 351);
    await p.page.click('.legend-all');
    assert.equal(await drawnNodes(p), 2708);
  });

  it('re-colours when the theme changes (body class)', async () => {
    const dark = await canvasPixel(p, 2, 2);
    const darkSwatch = await p.page.$eval('.legend-toggle[data-key="3"] .swatch', (e) => (e as HTMLElement).style.background);
    await p.setTheme('vscode-light');
    const light = await canvasPixel(p, 2, 2);
    const lightSwatch = await p.page.$eval('.legend-toggle[data-key="3"] .swatch', (e) => (e as HTMLElement).style.background);
    assert.deepEqual(dark.slice(0, 3), [30, 30, 30]);
    assert.deepEqual(light.slice(0, 3), [255, 255, 255]);
    assert.notEqual(darkSwatch, lightSwatch);
    await p.setTheme('vscode-dark');
  });

  it('exports a PNG (data URL with the PNG signature) and an SVG with every node', async () => {
    await p.page.click('.export-png');
    await p.page.click('.export-svg');
    const exports = (await p.posted()).filter((m): m is ExportImage => m.type === 'exportImage');
    const png = exports.find((m) => m.format === 'png')!;
    assert.equal(png.suggestedName, 'cora-graph.png');
    const bytes = Buffer.from(png.data.replace(/^data:image\/png;base64,/, ''), 'base64');
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const svg = exports.find((m) => m.format === 'svg')!;
    const parsed = await p.page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { error: doc.querySelector('parsererror')?.textContent ?? null, nodes: doc.querySelectorAll('circle.node').length, edges: doc.querySelectorAll('.edges line').length };
    }, svg.data);
    assert.deepEqual(parsed, { error: null, nodes: 2708, edges: 5278 });
  });

  it('keyboard: arrows move a visible focus between nodes, Enter opens, +/- zoom', async () => {
    await p.page.focus('canvas.graph-canvas');
    await p.page.keyboard.press('ArrowRight');
    const first = Number(await p.page.getAttribute('canvas.graph-canvas', 'data-focused'));
    assert.ok(Number.isInteger(first));
    await p.page.keyboard.press('ArrowRight');
    const second = Number(await p.page.getAttribute('canvas.graph-canvas', 'data-focused'));
    assert.notEqual(second, first);
    assert.ok(plain.x[second] > plain.x[first], 'moved right');
    assert.match((await p.page.textContent('.tooltip')) ?? '', new RegExp(`^node ${second} · `));
    await p.page.keyboard.press('Enter');
    assert.deepEqual((await p.posted()).filter((m) => m.type === 'openRecord').at(-1), { type: 'openRecord', dataset: 'cora', node: second });
    const k0 = Number((await p.page.getAttribute('canvas.graph-canvas', 'data-transform'))!.split(',')[0]);
    await p.page.keyboard.press('+');
    // The zoom is applied at once but drawn (and data-transform written) on the next frame.
    await p.page.waitForFunction((k) => Number(document.querySelector<HTMLCanvasElement>('canvas.graph-canvas')!.dataset.transform!.split(',')[0]) !== k, k0, { timeout: 5000 });
    const k1 = Number((await p.page.getAttribute('canvas.graph-canvas', 'data-transform'))!.split(',')[0]);
    assert.ok(Math.abs(k1 / k0 - 1.4) < 0.01, `zoom ${k0} -> ${k1}`);
  });

  it('keeps zoom, selection, colouring and hidden classes across a reload (setState)', async () => {
    await p.page.click('.legend-toggle[data-key="6"]');
    const state = (await p.state<GraphPanelState>())!;
    assert.deepEqual(state.hidden, [6]);
    assert.equal(state.dataset, 'cora');
    const transform = await p.page.getAttribute('canvas.graph-canvas', 'data-transform');
    const reloaded = await openGraph(chromium, plain, { state });
    assert.equal(await reloaded.page.getAttribute('canvas.graph-canvas', 'data-transform'), transform);
    assert.equal(await drawnNodes(reloaded), await drawnNodes(p));
    assert.equal(await reloaded.page.getAttribute('canvas.graph-canvas', 'data-selected'), String(state.selected));
    assert.equal(await reloaded.page.getAttribute('.legend-toggle[data-key="6"]', 'aria-pressed'), 'false');
    await reloaded.close();
  });

  it('with a run: colours by prediction or outcome, and the tooltip shows the prediction', async () => {
    const r = await openGraph(chromium, withRun);
    const modes = await r.page.$$eval('.colour-mode option', (els) => els.map((e) => (e as HTMLOptionElement).value));
    assert.deepEqual(modes, ['class', 'predicted', 'correct']);
    await r.page.selectOption('.colour-mode', 'correct');
    const legend = await r.page.$$eval('.legend-toggle', (els) => els.map((e) => e.textContent));
    const wrong = withRun.labels.filter((_, i) => i % 7 === 3).length;
    assert.deepEqual(legend, [`correct (${2708 - wrong})`, `wrong (${wrong})`]);
    await r.page.click('.legend-solo[data-key="1"]');
    assert.equal(await drawnNodes(r), wrong);
    await r.page.click('.legend-all');
    const [x, y] = await nodeScreenPoint(r, withRun, 1358);
    await r.page.mouse.move(x, y);
    assert.match((await r.page.textContent('.tooltip')) ?? '', /predicted \w+ \(\d+\.\d%\) (✓ correct|✗ wrong)/);
    await r.page.mouse.click(x, y);
    assert.deepEqual((await r.posted()).filter((m) => m.type === 'openRecord').at(-1), { type: 'openRecord', dataset: 'cora', node: 1358, runId: 'test-run' });
    await r.close();
  });

  it('comparing two runs: opens on the agreement colouring, the tooltip gives both predictions, a click opens the record of both', async () => {
    // A (fakeRun) is wrong where i % 7 === 3; B where i % 5 === 0.
    const b = { runId: 'run-b', predictions: withRun.labels.map((l, i) => (i % 5 === 0 ? (l + 2) % 7 : l)), confidence: withRun.labels.map(() => 0.5) };
    const compared: GraphSnapshot = { ...withRun, comparison: b };
    await withPanel(openGraph(chromium, compared), async (r) => {
      assert.equal(await r.page.$eval('.colour-mode', (e) => (e as HTMLSelectElement).value), 'agreement');
      const ids = Array.from({ length: 2708 }, (_, i) => i);
      const count = (f: (i: number) => boolean): number => ids.filter(f).length;
      const legend = await r.page.$$eval('.legend-toggle', (els) => els.map((e) => e.textContent));
      assert.deepEqual(legend, [
        `both right (${count((i) => i % 7 !== 3 && i % 5 !== 0)})`,
        `only A right (${count((i) => i % 7 !== 3 && i % 5 === 0)})`,
        `only B right (${count((i) => i % 7 === 3 && i % 5 !== 0)})`,
        `both wrong (${count((i) => i % 7 === 3 && i % 5 === 0)})`,
      ]);
      await r.page.click('.legend-solo[data-key="3"]');
      assert.equal(await drawnNodes(r), count((i) => i % 7 === 3 && i % 5 === 0));
      await r.page.click('.legend-all');
      const [x, y] = await nodeScreenPoint(r, compared, 1358);
      await r.page.mouse.move(x, y);
      assert.match((await r.page.textContent('.tooltip')) ?? '', /\nA predicted \w+ \(\d+\.\d%\) (✓ correct|✗ wrong)\nB predicted \w+ \(50\.0%\) (✓ correct|✗ wrong)/);
      await r.page.mouse.click(x, y);
      assert.deepEqual((await r.posted()).filter((m) => m.type === 'openRecord').at(-1), { type: 'openRecord', dataset: 'cora', node: 1358, runId: 'test-run', compareRunId: 'run-b' });
      assert.equal((await r.state<{ compareRunId?: string }>())?.compareRunId, 'run-b');
    });
  });

  it('zooms to the node a graphFocus message names', async () => {
    await p.post({ type: 'graphFocus', node: 2000 });
    assert.equal(await p.page.getAttribute('canvas.graph-canvas', 'data-focused'), '2000');
  });

  it('with a run: "Show attention" and "Step through" for the selected node; a right-click names the node to VS Code\'s context menu', async () => {
    assert.equal(await p.page.isVisible('.show-attention'), false, 'no attention without a run');
    await withPanel(openGraph(chromium, withRun), async (r) => {
      assert.equal(await r.page.isVisible('.show-attention'), true);
      assert.equal(await r.page.isVisible('.step-through'), true);
      const [x, y] = await nodeScreenPoint(r, withRun, 1358);
      await r.page.mouse.click(x, y);
      await r.page.locator('.show-attention').click();
      await r.page.locator('.step-through').click();
      const asked = (await r.posted()).filter((m) => m.type === 'showAttention' || m.type === 'stepThrough');
      assert.deepEqual(asked, [{ type: 'showAttention', node: 1358 }, { type: 'stepThrough', node: 1358 }]);
      // VS Code reads data-vscode-context as the contextmenu event bubbles (package.json "webview/context")
      await r.page.mouse.click(x, y, { button: 'right' });
      assert.deepEqual(JSON.parse((await r.page.getAttribute('canvas.graph-canvas', 'data-vscode-context'))!), { webviewSection: 'node', node: 1358, preventDefaultContextMenuItems: true });
      const box = (await r.page.locator('canvas.graph-canvas').boundingBox())!;
      await r.page.mouse.click(box.x + 2, box.y + 2, { button: 'right' });
      assert.deepEqual(JSON.parse((await r.page.getAttribute('canvas.graph-canvas', 'data-vscode-context'))!), { preventDefaultContextMenuItems: true }, 'off a node: no node items');
    });
  });

  it('with a run, what if: the button and W open a node in its computation; a neighbour of the selected node names their edge (right-click, or the arrow keys and Delete)', async () => {
    await withPanel(openGraph(chromium, withRun), async (r) => {
      const whatIfs = async (): Promise<unknown[]> => (await r.posted()).filter((m) => m.type === 'whatIfInComputation');
      const context = async (): Promise<unknown> => JSON.parse((await r.page.getAttribute('canvas.graph-canvas', 'data-vscode-context'))!);
      assert.equal(await r.page.isVisible('.what-if-button'), true);
      assert.equal(await r.page.getAttribute('canvas.graph-canvas', 'aria-keyshortcuts'), 'W Delete');
      await r.page.locator('.what-if-button').click();
      assert.match((await r.page.textContent('.toolbar .status')) ?? '', /^Select a node first/);
      assert.deepEqual(await whatIfs(), [], 'nothing selected: nothing asked');
      // find zooms to 1358 and makes it the selected and focused node
      await r.page.fill('.node-search', '1358');
      await r.page.press('.node-search', 'Enter');
      await r.page.locator('.what-if-button').click();
      assert.deepEqual((await whatIfs()).at(-1), { type: 'whatIfInComputation', node: 1358 });
      // the keyboard: an arrow moves to a neighbour (edges first), Delete removes that edge in 1358's computation
      await r.page.focus('canvas.graph-canvas');
      await r.page.keyboard.press('ArrowRight');
      const focused = Number(await r.page.getAttribute('canvas.graph-canvas', 'data-focused'));
      const neighbours = new Set<number>();
      for (let e = 0; e < withRun.edgeU.length; e++) if (withRun.edgeU[e] === 1358 || withRun.edgeV[e] === 1358) neighbours.add(withRun.edgeU[e] === 1358 ? withRun.edgeV[e] : withRun.edgeU[e]);
      assert.ok(neighbours.has(focused), `the arrow moved to a neighbour of 1358 (${focused})`);
      await r.page.keyboard.press('Delete');
      assert.deepEqual((await whatIfs()).at(-1), { type: 'whatIfInComputation', node: 1358, removeEdgeFrom: focused });
      await r.page.keyboard.press('w');
      assert.deepEqual((await whatIfs()).at(-1), { type: 'whatIfInComputation', node: focused }, 'W: the focused node');
      // right-click on that neighbour: the menu may remove its edge to 1358, and 1358 stays selected
      const [x, y] = await nodeScreenPoint(r, withRun, focused);
      await r.page.mouse.click(x, y, { button: 'right' });
      assert.deepEqual(await context(), { webviewSection: 'node', node: focused, edgeToSelected: true, selected: 1358, preventDefaultContextMenuItems: true });
      assert.equal(await r.page.getAttribute('canvas.graph-canvas', 'data-selected'), '1358');
      // Escape leaves no node focused: Delete names no edge, and says how to
      await r.page.focus('canvas.graph-canvas');
      await r.page.keyboard.press('Escape');
      const before = (await whatIfs()).length;
      await r.page.keyboard.press('Delete');
      assert.equal((await whatIfs()).length, before, 'Delete with no neighbour focused asks for nothing');
      assert.match((await r.page.textContent('.toolbar .status')) ?? '', /^To remove an edge: select a node \(click it, or Enter\), move to one of its neighbours with the arrow keys, then Delete removes their edge/);
    });
  });
});
