import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { degreeSnapshot } from '../../src/gat/panels/graphSnapshot';
import { panelProvenance } from '../../src/gat/panels/provenance';
import type { DegreePanelState, DegreeSnapshot, ExportImage } from '../../src/protocol/webviewMessages';
import { repoRoot } from '../helpers/paths';
import { launchChromium, openPanel, type BrowserHandle, type OpenOptions, type PanelPage } from './harness';

async function openDegrees(chromium: BrowserHandle, s: DegreeSnapshot, options: OpenOptions = {}): Promise<PanelPage> {
  const p = await openPanel(chromium, repoRoot, 'degrees', options);
  await p.post(s);
  await p.page.waitForSelector('body[data-degrees-ready="true"]');
  return p;
}

/** Page coordinates of a node id's column in a per-node plot (44 px left margin, 12 right). */
async function idPoint(p: PanelPage, plot: 'in' | 'out', node: number, n: number): Promise<[number, number]> {
  const box = (await p.page.locator(`svg[data-plot="${plot}"]`).boundingBox())!;
  return [box.x + 44 + ((node + 0.5) / n) * (box.width - 56), box.y + box.height / 2];
}

describe('degree panel in Chromium (Cora)', () => {
  let chromium: BrowserHandle;
  let s: DegreeSnapshot;
  let p: PanelPage;
  before(async () => {
    const cora = await loadPlanetoid('cora');
    s = degreeSnapshot(cora, panelProvenance(cora));
    chromium = await launchChromium();
    p = await openDegrees(chromium, s);
  });
  after(async () => {
    await chromium?.close();
  });

  it('draws the three plots: a spike per node with a degree, a bar per degree', async () => {
    const titles = await p.page.$$eval('.plot-title', (els) => els.map((e) => e.textContent));
    assert.deepEqual(titles, ['In-degree per node id', 'Out-degree per node id', 'Degree distribution (nodes per degree)']);
    const spikes = await p.page.$eval('svg[data-plot="in"] path.spikes', (e) => (e.getAttribute('d') ?? '').split('M').length - 1);
    assert.equal(spikes, 2708, 'Cora has no isolated nodes');
    const bars = await p.page.$$eval('svg[data-plot="dist"] rect.bar', (els) => els.map((e) => [Number(e.getAttribute('data-degree')), Number(e.getAttribute('data-count'))]));
    assert.deepEqual(bars.at(-1), [168, 1]);
    assert.equal(bars.reduce((a, [, c]) => a + c, 0), 2708);
    assert.match((await p.page.textContent('.provenance')) ?? '', /dataset cora/);
  });

  it('hovering node 1358 in the in-degree plot shows its value', async () => {
    const [x, y] = await idPoint(p, 'in', 1358, 2708);
    await p.page.mouse.move(x, y);
    assert.match((await p.page.textContent('.tooltip')) ?? '', /^nodes? [–\d]*1358[–\d]*: (max )?in-degree 168/);
  });

  it('clicking the degree-168 bar lists node 1358, which opens its record or its place in the graph', async () => {
    const bar = p.page.locator('svg[data-plot="dist"] rect.bar[data-degree="168"]');
    const box = (await bar.boundingBox())!;
    await p.page.mouse.move(box.x + box.width / 2, box.y + box.height - 1);
    assert.match((await p.page.textContent('.tooltip')) ?? '', /^degree 168: 1 node/);
    await p.page.mouse.click(box.x + box.width / 2, box.y + box.height - 1);
    assert.equal(await p.page.textContent('.selection h3'), '1 node with degree 168');
    assert.deepEqual(await p.page.$$eval('.node-list li', (els) => els.map((e) => (e as HTMLElement).dataset.node)), ['1358']);
    await p.page.click('.node-list li[data-node="1358"] .open-record');
    await p.page.click('.node-list li[data-node="1358"] .show-in-graph');
    const posted = (await p.posted()).slice(-2);
    assert.deepEqual(posted, [
      { type: 'openRecord', dataset: 'cora', node: 1358 },
      { type: 'showInGraph', dataset: 'cora', node: 1358 },
    ]);
  });

  it('switches the distribution to a log scale, and keeps it and the selection in state', async () => {
    const height = (): Promise<number> => p.page.$eval('svg[data-plot="dist"] rect.bar[data-degree="168"]', (e) => Number(e.getAttribute('height')));
    const linear = await height();
    await p.page.check('.log-scale');
    const log = await height();
    assert.ok(log > linear * 3, `a count of 1 is visible on a log scale (${linear} → ${log})`);
    const state = (await p.state<DegreePanelState>())!;
    assert.deepEqual(state, { dataset: 'cora', logScale: true, selection: { plot: 'dist', from: 168, to: 168 } });
    const reloaded = await openDegrees(chromium, s, { state });
    assert.equal(await reloaded.page.isChecked('.log-scale'), true);
    assert.equal(await reloaded.page.textContent('.selection h3'), '1 node with degree 168');
    await reloaded.close();
  });

  it('keyboard: arrows walk the nodes, Enter lists them', async () => {
    await p.page.focus('svg[data-plot="out"]');
    await p.page.keyboard.press('ArrowRight');
    assert.match((await p.page.textContent('.tooltip')) ?? '', /^node 1359: out-degree \d+/);
    await p.page.keyboard.press('Enter');
    assert.equal(await p.page.textContent('.selection h3'), 'node 1359 (out-degree)');
  });

  it('exports a PNG and an SVG of the three plots', async () => {
    await p.page.click('.export-svg');
    await p.page.click('.export-png');
    await p.page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string; format?: string }> }).__posted.some((m) => m.format === 'png'));
    const exports = (await p.posted()).filter((m): m is ExportImage => m.type === 'exportImage');
    const png = Buffer.from(exports.find((m) => m.format === 'png')!.data.replace(/^data:image\/png;base64,/, ''), 'base64');
    assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    const svg = exports.find((m) => m.format === 'svg')!;
    assert.equal(svg.suggestedName, 'cora-degrees.svg');
    const parsed = await p.page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { error: doc.querySelector('parsererror')?.textContent ?? null, bars: doc.querySelectorAll('rect.bar').length, titles: doc.querySelectorAll('.plot-title').length };
    }, svg.data);
    assert.equal(parsed.error, null);
    assert.equal(parsed.titles, 3);
    assert.ok(parsed.bars > 30);
  });
});
