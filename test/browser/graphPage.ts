import { pngPixel } from '../helpers/pngPixel';
import type { GraphSnapshot } from '../../src/protocol/webviewMessages';
import { repoRoot } from '../helpers/paths';
import { openPanel, type BrowserHandle, type OpenOptions, type PanelPage } from './harness';

/**
 * Opens the app that draws the snapshot (the embedding app for a t-SNE map, the graph app
 * otherwise, as the host's panels do) and posts it; resolves once the first frame is drawn.
 */
export async function openGraph(chromium: BrowserHandle, snapshot: GraphSnapshot, options: OpenOptions = {}): Promise<PanelPage> {
  const p = await openPanel(chromium, repoRoot, snapshot.embedding ? 'embedding' : 'graph', options);
  await p.post(snapshot);
  await p.page.waitForSelector('body[data-graph-ready="true"]');
  return p;
}

export async function drawnNodes(p: PanelPage): Promise<number> {
  return Number(await p.page.getAttribute('canvas.graph-canvas', 'data-drawn-nodes'));
}

/** Where a node is on the page (or on the canvas when `page` is false), from the app's transform. */
export async function nodeScreenPoint(p: PanelPage, s: GraphSnapshot, node: number, page = true): Promise<[number, number]> {
  const [k, x, y] = (await p.page.getAttribute('canvas.graph-canvas', 'data-transform'))!.split(',').map(Number);
  const box = (await p.page.locator('canvas.graph-canvas').boundingBox())!;
  const cx = x + k * s.x[node];
  const cy = y + k * s.y[node];
  return page ? [box.x + cx, box.y + cy] : [cx, cy];
}

/**
 * RGBA on screen at CSS pixel (x, y) of the graph: the scene (WebGL or 2-D) under the overlay, as
 * composited, read from a one-pixel screenshot.
 */
export async function canvasPixel(p: PanelPage, x: number, y: number): Promise<number[]> {
  const box = (await p.page.locator('canvas.graph-canvas').boundingBox())!;
  const png = await p.page.screenshot({ clip: { x: box.x + Math.round(x), y: box.y + Math.round(y), width: 1, height: 1 } });
  return pngPixel(png);
}
