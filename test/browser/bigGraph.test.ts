/**
 * The graph panel at sizes beyond Cora, on WebGL2 (SwiftShader here): generated citation-like
 * graphs of 20,000 and 200,000 nodes (1.2 M edges). Level of detail (only the widest edges in view
 * when zoomed out, all of them zoomed in; names once few nodes are in view), hover and search, a
 * layout drawn while it converges, and the fall-back to the 2-D canvas when the GPU context is lost.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GraphLayoutProgress, GraphSnapshot } from '../../src/protocol/webviewMessages';
import { bigGraphSnapshot } from '../helpers/bigGraphSnapshot';
import { launchChromium, type BrowserHandle, type PanelPage } from './harness';
import { canvasPixel, drawnNodes, nodeScreenPoint, openGraph } from './graphPage';

const attr = (p: PanelPage, name: string): Promise<string | null> => p.page.getAttribute('canvas.graph-canvas', name);

describe('graph panel at 20,000 and 200,000 nodes (WebGL2)', () => {
  let chromium: BrowserHandle;
  let medium: GraphSnapshot;
  let large: GraphSnapshot;
  before(async () => {
    medium = bigGraphSnapshot(20_000, 120_000).snapshot;
    large = bigGraphSnapshot(200_000, 1_200_000).snapshot;
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
  });

  it('draws 20,000 nodes and 120,000 edges on WebGL2, hovers and finds nodes, names them zoomed in', async () => {
    const p = await openGraph(chromium, medium, { width: 1200, height: 800 });
    assert.equal(await attr(p, 'data-renderer'), 'webgl2');
    assert.match((await attr(p, 'data-renderer-name')) ?? '', /^WebGL2 · .*SwiftShader.*\(software\)$/);
    assert.equal(await drawnNodes(p), 20_000);
    assert.equal(await attr(p, 'data-drawn-edges'), '120000', 'under the budget: every edge');
    assert.match((await p.page.textContent('.status')) ?? '', /^20,000 nodes · 120,000 edges$/);
    const [x, y] = await nodeScreenPoint(p, medium, 12_345);
    await p.page.mouse.move(x, y);
    await p.page.waitForSelector('canvas.graph-canvas[data-hovered]');
    const hovered = Number(await attr(p, 'data-hovered'));
    assert.ok(Number.isInteger(hovered), 'a node under the pointer');
    assert.match((await p.page.textContent('.tooltip')) ?? '', new RegExp(`^node ${hovered} · class \\d`));
    // The highlighted neighbourhood dims the rest: the background shows through less ink.
    await p.page.fill('.node-search', '777');
    await p.page.press('.node-search', 'Enter');
    await p.page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('canvas.graph-canvas')!.dataset.focused === '777');
    assert.equal(await attr(p, 'data-labels'), '0', 'too many nodes in view to name');
    await p.page.focus('canvas.graph-canvas');
    for (let i = 0; i < 6; i++) await p.page.keyboard.press('+');
    await p.page.waitForFunction(() => Number(document.querySelector<HTMLCanvasElement>('canvas.graph-canvas')!.dataset.labels) > 0, undefined, { timeout: 10_000 });
    const labels = Number(await attr(p, 'data-labels'));
    assert.ok(labels > 0 && labels <= 150, `${labels} names drawn`);
    await p.close();
  });

  it('draws 200,000 nodes with the widest edges in view zoomed out and every edge in view zoomed in', async () => {
    const p = await openGraph(chromium, large, { width: 1200, height: 800 });
    assert.equal(await drawnNodes(p), 200_000);
    const fitEdges = Number(await attr(p, 'data-drawn-edges'));
    assert.ok(fitEdges >= 150_000 && fitEdges < 400_000, `${fitEdges} edges drawn of 1,200,000 at the fit`);
    // A node's colour is on screen where the node is (WebGL's pixels, composited).
    const [cx, cy] = await nodeScreenPoint(p, large, 4242, false);
    const pixel = await canvasPixel(p, cx, cy);
    assert.notDeepEqual(pixel.slice(0, 3), [0x1e, 0x1e, 0x1e], 'node 4242 is drawn (not the background)');
    await p.page.fill('.node-search', '4242');
    await p.page.press('.node-search', 'Enter');
    await p.page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('canvas.graph-canvas')!.dataset.focused === '4242');
    await p.page.focus('canvas.graph-canvas');
    for (let i = 0; i < 8; i++) await p.page.keyboard.press('+');
    await p.page.waitForFunction((before) => Number(document.querySelector<HTMLCanvasElement>('canvas.graph-canvas')!.dataset.drawnNodes) < before, 200_000, { timeout: 10_000 });
    const zoomedEdges = Number(await attr(p, 'data-drawn-edges'));
    assert.ok(zoomedEdges > fitEdges, `zoomed in: ${zoomedEdges} edges drawn (${fitEdges} at the fit)`);
    // Hover after the zoom: the node under the pointer is found among 200,000.
    const [x, y] = await nodeScreenPoint(p, large, 4242);
    await p.page.mouse.move(x, y);
    await p.page.waitForSelector('canvas.graph-canvas[data-hovered="4242"]');
    await p.page.click('.export-png');
    const png = (await p.posted()).find((m) => m.type === 'exportImage');
    assert.ok(png && png.type === 'exportImage' && png.data.startsWith('data:image/png;base64,') && png.data.length > 10_000, 'a PNG of the WebGL scene and the overlay');
    await p.close();
  });

  it('draws a layout while it converges, re-fitting until the user moves the view, then the final layout', async () => {
    const coarse: GraphSnapshot = { ...medium, x: medium.x.map((v) => Math.round(v / 40) * 40), y: medium.y.map((v) => Math.round(v / 40) * 40), edgeThickness: new Float32Array(medium.edgeU.length), layoutProgress: { stage: 'coarsest level (1,500 nodes)', fraction: 0.1 } };
    const p = await openGraph(chromium, coarse, { width: 1200, height: 800 });
    assert.equal(await p.page.getAttribute('body', 'data-layout-stage'), 'coarsest level (1,500 nodes)');
    assert.match((await p.page.textContent('.layout-progress')) ?? '', /^Laying out: coarsest level \(1,500 nodes\), 10 %/);
    const fit0 = await attr(p, 'data-transform');
    // A later stage, twice as spread: the view re-fits it.
    const spread: GraphLayoutProgress = { type: 'graphLayoutProgress', x: Float32Array.from(medium.x, (v) => 2 * v), y: Float32Array.from(medium.y, (v) => 2 * v), stage: 'level 3 of 7 (20,000 nodes)', fraction: 0.6 };
    await p.post(spread);
    await p.page.waitForFunction(() => document.body.dataset.layoutStage === 'level 3 of 7 (20,000 nodes)');
    await p.page.waitForFunction((before) => document.querySelector<HTMLCanvasElement>('canvas.graph-canvas')!.dataset.transform !== before, fit0);
    const [k1] = (await attr(p, 'data-transform'))!.split(',').map(Number);
    assert.ok(Math.abs(k1 / Number(fit0!.split(',')[0]) - 0.5) < 0.05, 'twice the spread, half the scale');
    // The user zooms: later stages keep their view.
    const box = (await p.page.locator('canvas.graph-canvas').boundingBox())!;
    await p.page.mouse.move(box.x + 600, box.y + 400);
    await p.page.mouse.wheel(0, -300);
    await p.page.waitForFunction((k) => Number(document.querySelector<HTMLCanvasElement>('canvas.graph-canvas')!.dataset.transform!.split(',')[0]) > k * 1.1, k1);
    const moved = await attr(p, 'data-transform');
    await p.post({ ...spread, x: medium.x, y: medium.y, stage: 'level 4 of 7 (20,000 nodes)', fraction: 0.8 });
    await p.page.waitForFunction(() => document.body.dataset.layoutStage === 'level 4 of 7 (20,000 nodes)');
    assert.equal(await attr(p, 'data-transform'), moved, 'the view the user chose is kept');
    await p.post(medium);
    await p.page.waitForFunction(() => document.body.dataset.layoutStage === 'done');
    assert.equal(await p.page.isHidden('.layout-progress'), true);
    assert.equal(await drawnNodes(p) > 0, true);
    await p.close();
  });

  it('maps 19,717 points on the embedding map (PubMed\'s size: a t-SNE of a run\'s outputs, no edges)', async () => {
    const { snapshot } = bigGraphSnapshot(19_717, 44_324);
    const map: GraphSnapshot = { ...snapshot, edgeU: [], edgeV: [], edgeThickness: [], run: { runId: 'pubmed-run', predictions: snapshot.labels, confidence: snapshot.labels.map(() => 0.9) }, embedding: { settings: { perplexity: 30, iterations: 1000, seed: 42 }, status: 'done', iteration: 1000, kl: 2.1 } };
    const p = await openGraph(chromium, map, { width: 1200, height: 800 });
    assert.equal(await drawnNodes(p), 19_717);
    assert.equal(await attr(p, 'data-drawn-edges'), '0');
    assert.match((await p.page.textContent('.status')) ?? '', /^19,717 points \(t-SNE of the model's outputs\)$/);
    const [x, y] = await nodeScreenPoint(p, map, 10_000);
    await p.page.mouse.move(x, y);
    await p.page.waitForSelector('canvas.graph-canvas[data-hovered]');
    assert.match((await p.page.textContent('.tooltip')) ?? '', /^node \d+ · class \d/);
    await p.close();
  });

  it('draws on the 2-D canvas when gat.graphRenderer is "canvas", with the same hover', async () => {
    const p = await openGraph(chromium, medium, { width: 1000, height: 700, bodyData: { 'graph-renderer': 'canvas' } });
    assert.equal(await attr(p, 'data-renderer'), 'canvas2d');
    assert.equal(await attr(p, 'data-renderer-name'), '2-D canvas (gat.graphRenderer is "canvas")');
    assert.equal(await drawnNodes(p), 20_000);
    const [x, y] = await nodeScreenPoint(p, medium, 777);
    await p.page.mouse.move(x, y);
    await p.page.waitForSelector('canvas.graph-canvas[data-hovered]');
    await p.close();
  });

  it('falls back to the 2-D canvas when the WebGL context is lost, and keeps drawing', async () => {
    const p = await openGraph(chromium, medium, { width: 1000, height: 700 });
    assert.equal(await attr(p, 'data-renderer'), 'webgl2');
    await p.page.evaluate(() => document.querySelector<HTMLCanvasElement>('canvas.graph-scene')!.getContext('webgl2')!.getExtension('WEBGL_lose_context')!.loseContext());
    await p.page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('canvas.graph-canvas')!.dataset.renderer === 'canvas2d');
    assert.match((await p.page.textContent('.status')) ?? '', /Drawing on the 2-D canvas \(the WebGL context was lost\)/);
    await p.page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('canvas.graph-canvas')!.dataset.drawnNodes === '20000');
    const [x, y] = await nodeScreenPoint(p, medium, 777, false);
    const pixel = await canvasPixel(p, x, y);
    assert.notDeepEqual(pixel.slice(0, 3), [0x1e, 0x1e, 0x1e], 'node 777 is drawn on the 2-D canvas');
    await p.close();
  });
});
