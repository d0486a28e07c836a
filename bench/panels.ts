/**
 * Panel bench: the Cora graph and degree webviews in headless Debian Chromium, fed real
 * snapshots built by the host-side code (layout from the worker, cached on disk).
 * Usage: npm run bench:panels -- [--json] [--no-screenshots] [--sizes 20000:120000,200000:1200000] [--only what-if]
 *   graphFirstRenderMs  snapshot message received → first full frame (in the app, median of 5)
 *   graphPostToFrameMs  the same from postMessage (includes the structured clone), median of 5
 *   hoverMs             p95 of pointer input → tooltip shown and neighbourhood highlighted (real mouse moves)
 *   hoverPaintedMs      p95 of the same through the highlighted frame rasterised (getImageData forces it)
 *   frameP95Ms          p95 frame interval during a scripted wheel zoom and drag pan (frame cap lifted)
 *   drawP95Ms           p95 of the drawing calls alone in those frames
 *   layoutMs            the layout worker from scratch (edge betweenness + 300 ticks), not cached
 *   tsneRenderMs        embedding map: snapshot of 2708 t-SNE points received → first full frame (median of 5)
 *   attentionRenderMs   attention panel: node 1358, all 8 heads, snapshot posted → drawn (median of 5)
 *   whatIf.*            Computation panel: one what-if edit of node 1358 from the click to the redrawn
 *                       panel, through the real explain process (see bench/whatIfPanel.ts);
 *                       `--only what-if` runs this part alone
 * The embedding and attention figures use a real analysis from a short Cora training (30 epochs).
 *   ppi.*               the same graph-panel figures on one PPI-sized graph (3,000 nodes, about 35,000
 *                       edges, from a synthetic PPI-format dataset through the real loader), with the
 *                       multi-label colouring, the graph picker and a run's predicted labels
 *   generated[]         the same at 20,000 and 200,000 nodes (120,000 and 1.2 M edges): generated
 *                       citation-like graphs laid out by the real worker (multilevel, progressive),
 *                       with the layout's timeline (first picture, every node placed, edge widths)
 * Screenshots (light and dark) go to out/screenshots/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDataset } from '../src/gat/data/loadDataset';
import { loadPlanetoid } from '../src/gat/data/planetoid';
import { multiLabelView, scopeAnalysis, scopeDataset, scopeMessage } from '../src/gat/panels/graphScope';
import { fakePpiAnalysis } from '../test/helpers/ppiPanels';
import { bigGraphSnapshot } from '../test/helpers/bigGraphSnapshot';
import { edgeToPairRatio } from '../test/helpers/layoutQuality';
import { writeSyntheticPpi } from '../test/helpers/ppiSynthetic';
import { DEFAULT_LAYOUT } from '../src/gat/layout/forceLayout';
import { graphLayout, runLayoutWorker } from '../src/gat/layout/layoutCache';
import { degreeSnapshot, graphSnapshot } from '../src/gat/panels/graphSnapshot';
import { panelProvenance } from '../src/gat/panels/provenance';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { attentionSnapshotData } from '../src/gat/analysis/panelData';
import { readAnalysis, type Analysis } from '../src/gat/artifacts/analysis';
import { readRun } from '../src/gat/artifacts/runRecord';
import { embeddingSnapshot } from '../src/gat/panels/embeddingSnapshot';
import { runTsne } from '../src/gat/tsne/tsne';
import type { AttentionSnapshot } from '../src/protocol/analysisSnapshots';
import type { GraphSnapshot } from '../src/protocol/webviewMessages';
import { launchChromium, openPanel, type BrowserHandle, type HarnessTheme, type PanelPage } from '../test/browser/harness';
import { measureWhatIf } from './whatIfPanel';

const args = process.argv.slice(2);
/** The layout bench's structure measure, to 3 decimals. */
const ratio = (x: Float32Array, y: Float32Array, u: Int32Array, v: Int32Array): number => Number(edgeToPairRatio(x, y, u, v).toFixed(3));
const json = args.includes('--json');
const screenshots = !args.includes('--no-screenshots');
/** Generated graphs (nodes, undirected edges): `--sizes 20000:120000,200000:1200000` (the default). */
const sizesArg = args.includes('--sizes') ? args[args.indexOf('--sizes') + 1] : '20000:120000,200000:1200000';
const sizes = sizesArg.split(',').filter(Boolean).map((s) => s.split(':').map(Number) as [number, number]);
/** `--only what-if`: the Computation panel's what-if round trip alone. */
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const root = process.cwd();
const shots = path.join(root, 'out', 'screenshots');
const workerScript = path.join(root, 'dist', 'layoutWorker.js');

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const median = (xs: number[]): number => quantile(xs, 0.5);
const round = (x: number): number => Math.round(x * 100) / 100;
const log = (msg: string): void => {
  if (!json) console.log(msg);
};

async function openGraph(chromium: BrowserHandle, s: GraphSnapshot, theme: HarnessTheme = 'vscode-dark'): Promise<{ p: PanelPage; postToFrame: number; inApp: number }> {
  const p = await openPanel(chromium, root, s.embedding ? 'embedding' : 'graph', { theme, width: 1200, height: 800 });
  const postToFrame = await p.page.evaluate(async (snapshot) => {
    const t0 = performance.now();
    window.postMessage(snapshot, '*');
    while (document.body.dataset.graphReady !== 'true') await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  }, s as unknown as Record<string, unknown>);
  const inApp = Number(await p.page.getAttribute('body', 'data-first-render-ms'));
  return { p, postToFrame, inApp };
}

async function screenPoint(p: PanelPage, s: GraphSnapshot, node: number): Promise<[number, number]> {
  const [k, x, y] = (await p.page.getAttribute('canvas.graph-canvas', 'data-transform'))!.split(',').map(Number);
  const box = (await p.page.locator('canvas.graph-canvas').boundingBox())!;
  return [box.x + x + k * s.x[node], box.y + y + k * s.y[node]];
}


/** A 30-epoch Cora training through the real CLI, for a real analysis artifact. */
async function shortTraining(): Promise<{ analysis: Analysis; runId: string; runDir: string }> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'gat-bench-panels-'));
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'train', '--num-of-epochs', '30', '--out', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`training for the bench failed: ${r.stderr}`);
  const runId = readdirSync(path.join(out, 'runs')).filter((d) => !d.startsWith('.'))[0];
  const runDir = path.join(out, 'runs', runId);
  return { analysis: await readAnalysis(path.join(runDir, 'analysis.safetensors')), runId, runDir };
}

/** Hover (to the tooltip, and to the painted frame) and zoom/pan frame timings of a graph panel. */
async function measureGraph(chromium: BrowserHandle, snapshot: GraphSnapshot, sample: (i: number) => number): Promise<{ hovers: number[]; painted: number[]; frames: number[]; draws: number[] }> {
  const { p } = await openGraph(chromium, snapshot);
  // Hover: real mouse moves between nodes spread over the graph (alternating with empty space).
  const hovers: number[] = [];
  for (let i = 0; i < 120; i++) {
    const node = sample(i);
    const [x, y] = await screenPoint(p, snapshot, node);
    await p.page.mouse.move(x, y);
    const ms = await p.page.getAttribute('canvas.graph-canvas', 'data-hover-ms');
    if (ms && (await p.page.getAttribute('canvas.graph-canvas', 'data-hovered')) === String(node)) hovers.push(Number(ms));
    await p.page.mouse.move(5, 5);
    await p.page.evaluate(() => delete document.querySelector<HTMLCanvasElement>('canvas.graph-canvas')!.dataset.hoverMs);
  }
  // The same hovers to pixels: the event, the tooltip and the highlighted frame rasterised
  // (getImageData forces the canvas's recorded drawing to be painted).
  const painted = await p.page.evaluate(
    ({ xs, ys }) => {
      const canvas = document.querySelector<HTMLCanvasElement>('canvas.graph-canvas')!;
      const ctx = canvas.getContext('2d')!;
      const r = canvas.getBoundingClientRect();
      const [k, tx, ty] = canvas.dataset.transform!.split(',').map(Number);
      const out: number[] = [];
      for (let i = 0; i < xs.length; i++) {
        const t0 = performance.now();
        canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: r.x + tx + k * xs[i], clientY: r.y + ty + k * ys[i], bubbles: true }));
        ctx.getImageData(0, 0, 1, 1);
        out.push(performance.now() - t0);
        canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: r.x + 2, clientY: r.y + 2, bubbles: true }));
        ctx.getImageData(0, 0, 1, 1);
      }
      return out;
    },
    { xs: Array.from({ length: 60 }, (_, i) => snapshot.x[sample(i)]), ys: Array.from({ length: 60 }, (_, i) => snapshot.y[sample(i)]) },
  );
  log(`painted hovers: ${painted.map((x) => x.toFixed(0)).join(" ")}`);
  // Zoom and pan, scripted in the page (wheel events, then a mouse drag, one step per
  // frame) with the frame-rate cap lifted: a frame's time is the interval between frames
  // (input handling, drawing, rasterising, compositing), not just the drawing calls.
  const timing = await p.page.evaluate(async () => {
    const canvas = document.querySelector<HTMLCanvasElement>('canvas.graph-canvas')!;
    const r = canvas.getBoundingClientRect();
    const cx = r.x + r.width / 2;
    const cy = r.y + r.height / 2;
    const frame = (): Promise<number> => new Promise((res) => requestAnimationFrame(res));
    const intervals: number[] = [];
    const draws: number[] = [];
    let last = await frame();
    const step = async (): Promise<void> => {
      const now = await frame();
      intervals.push(now - last);
      draws.push(Number(canvas.dataset.drawMs));
      last = now;
    };
    for (let i = 0; i < 60; i++) {
      canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: i < 30 ? -80 : 60, clientX: cx + 3 * i, clientY: cy, bubbles: true, cancelable: true, view: window }));
      await step();
    }
    canvas.dispatchEvent(new MouseEvent('mousedown', { clientX: cx, clientY: cy, button: 0, bubbles: true, cancelable: true, view: window }));
    for (let i = 0; i < 90; i++) {
      window.dispatchEvent(new MouseEvent('mousemove', { clientX: cx + 250 * Math.sin(i / 8), clientY: cy + 150 * Math.cos(i / 8), bubbles: true, cancelable: true, view: window }));
      await step();
    }
    window.dispatchEvent(new MouseEvent('mouseup', { clientX: cx, clientY: cy, button: 0, bubbles: true, view: window }));
    return { intervals, draws, transform: canvas.dataset.transform };
  });
  const frames = timing.intervals;
  log(`zoom/pan: ${frames.length} frames, transform now ${timing.transform}; intervals ${frames.map((f) => f.toFixed(0)).join(' ')}`);
  await p.close();
  return { hovers, painted, frames, draws: timing.draws };
}

/** One PPI-sized graph of a synthetic PPI-format dataset, as the graph panel shows it with a run. */
async function measurePpiGraph(chromium: BrowserHandle): Promise<Record<string, number>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gat-bench-ppi-'));
  try {
    writeSyntheticPpi(dir, { sizes: { train: [3000], valid: [60], test: [60] }, meanDegree: 23, seed: 11 });
    const g = await loadDataset('ppi-bench', { dataDir: dir });
    const a = fakePpiAnalysis(g);
    const part = g.graphs![0];
    const s = scopeDataset(g, part);
    const sa = scopeAnalysis(a, part);
    const t0 = performance.now();
    const layout = await runLayoutWorker(workerScript, { numNodes: s.numNodes, edgeSource: s.edgeSource, edgeTarget: s.edgeTarget, ...DEFAULT_LAYOUT });
    const layoutMs = performance.now() - t0;
    const snapshot: GraphSnapshot = { ...graphSnapshot(s, layout, panelProvenance(g), { runId: 'bench', predictions: sa.predictions, confidence: sa.confidence }), scope: scopeMessage(g, 0, false), multiLabel: multiLabelView(s, sa) };
    const firsts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { p, inApp } = await openGraph(chromium, snapshot);
      firsts.push(inApp);
      if (i === 0 && screenshots) {
        mkdirSync(shots, { recursive: true });
        await p.page.screenshot({ path: path.join(shots, 'graph-ppi-dark.png') });
      }
      await p.close();
    }
    if (screenshots) {
      const light = await openGraph(chromium, snapshot, 'vscode-light');
      await light.p.page.selectOption('.colour-mode', 'labelF1');
      await light.p.page.screenshot({ path: path.join(shots, 'graph-ppi-f1-light.png') });
      await light.p.close();
    }
    const m = await measureGraph(chromium, snapshot, (i) => (i * 617) % s.numNodes);
    return {
      nodes: s.numNodes,
      edges: snapshot.edgeU.length,
      firstRenderMs: round(median(firsts)),
      hoverMs: round(quantile(m.hovers, 0.95)),
      hoverPaintedMs: round(quantile(m.painted, 0.95)),
      frameP95Ms: round(quantile(m.frames, 0.95)),
      drawP95Ms: round(quantile(m.draws, 0.95)),
      layoutMs: Math.round(layoutMs),
      snapshotKiB: Math.round(JSON.stringify(snapshot).length / 1024),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A generated citation-like graph (test/helpers/citationGraph.ts) laid out by the real worker,
 * watching it converge: when the first picture came, when every node had its own place, when the
 * edge widths (sampled betweenness) were done, and how much structure the picture had at 60 s.
 */
async function measureGeneratedGraph(chromium: BrowserHandle, nodes: number, edges: number): Promise<Record<string, unknown>> {
  const { graph } = bigGraphSnapshot(nodes, edges);
  const t0 = performance.now();
  const stages: Array<{ ms: number; stage: string; ratio: number }> = [];
  let u: Int32Array | undefined;
  let v: Int32Array | undefined;
  let placedMs = 0;
  const layout = await runLayoutWorker(workerScript, { numNodes: graph.numNodes, edgeSource: graph.edgeSource, edgeTarget: graph.edgeTarget, ...DEFAULT_LAYOUT }, (update) => {
    const ms = Math.round(performance.now() - t0);
    u ??= update.u;
    v ??= update.v;
    if (update.stage.startsWith('every node placed')) placedMs = ms;
    stages.push({ ms, stage: update.stage, ratio: ratio(update.x, update.y, u!, v!) });
  });
  const layoutMs = Math.round(performance.now() - t0);
  const at60 = stages.filter((s) => s.ms <= 60_000).at(-1);
  const finalRatio = ratio(layout.x, layout.y, layout.u, layout.v);
  log(`${nodes} nodes: layout stages ${stages.map((s) => `${s.ms} ms ${s.stage} (${s.ratio})`).join('; ')}; done ${layoutMs} ms (${finalRatio})`);
  const { snapshot } = bigGraphSnapshot(nodes, edges, { layout });
  const firsts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { p, inApp } = await openGraph(chromium, snapshot);
    firsts.push(inApp);
    if (i === 0 && screenshots) {
      for (const theme of ['vscode-dark', 'vscode-light'] as const) {
        await p.setTheme(theme);
        await p.page.waitForTimeout(300);
        await p.page.screenshot({ path: path.join(shots, `graph-${nodes}-${theme.replace('vscode-', '')}.png`) });
      }
    }
    if (i === 0) log(`renderer: ${await p.page.getAttribute('canvas.graph-canvas', 'data-renderer-name')}`);
    await p.close();
  }
  const m = await measureGraph(chromium, snapshot, (i) => (i * 7919) % nodes);
  return {
    nodes,
    edges: snapshot.edgeU.length,
    firstRenderMs: round(median(firsts)),
    hoverMs: round(quantile(m.hovers, 0.95)),
    hoverSamples: m.hovers.length,
    hoverPaintedMs: round(quantile(m.painted, 0.95)),
    frameP95Ms: round(quantile(m.frames, 0.95)),
    drawP95Ms: round(quantile(m.draws, 0.95)),
    layout: {
      firstPictureMs: stages[0]?.ms ?? null,
      everyNodePlacedMs: placedMs || null,
      withEdgeWidthsMs: layoutMs,
      edgeToPairRatioAt60s: at60?.ratio ?? null,
      stageAt60s: at60?.stage ?? null,
      finalEdgeToPairRatio: finalRatio,
    },
    snapshotMB: Number(((snapshot.x.length * 8 + snapshot.edgeU.length * 12 + snapshot.labels.length * 24) / 2 ** 20).toFixed(1)),
  };
}

async function main(): Promise<void> {
  for (const f of ['dist/webview/graph.js', 'dist/webview/degrees.js', 'dist/layoutWorker.js']) {
    if (!existsSync(path.join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
  if (only === 'what-if') return whatIfOnly();
  if (only !== undefined) throw new Error(`--only ${only}: the only part that runs alone is what-if`);
  const cora = await loadPlanetoid('cora');
  const t0 = performance.now();
  await runLayoutWorker(workerScript, { numNodes: cora.numNodes, edgeSource: cora.edgeSource, edgeTarget: cora.edgeTarget, ...DEFAULT_LAYOUT });
  const layoutMs = performance.now() - t0;
  const layout = await graphLayout(cora, { cacheDir: path.join(root, 'out', 'cache', 'layouts'), workerScript });
  const snapshot = graphSnapshot(cora, layout, panelProvenance(cora));
  log(`layout worker ${layoutMs.toFixed(0)} ms; snapshot ${(JSON.stringify(snapshot).length / 1024).toFixed(0)} KiB`);
  const chromium = await launchChromium(['--disable-frame-rate-limit', '--disable-gpu-vsync']);
  try {
    const firsts: number[] = [];
    const posts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { p, postToFrame, inApp } = await openGraph(chromium, snapshot);
      firsts.push(inApp);
      posts.push(postToFrame);
      await p.close();
    }
    log(`first render: in app ${firsts.map((x) => x.toFixed(0)).join(', ')} ms; from postMessage ${posts.map((x) => x.toFixed(0)).join(', ')} ms`);

    const { hovers, painted, frames, draws } = await measureGraph(chromium, snapshot, (i) => (i * 617) % cora.numNodes);
    if (screenshots) mkdirSync(shots, { recursive: true });

    if (screenshots) {
      for (const theme of ['vscode-dark', 'vscode-light', 'vscode-high-contrast'] as const) {
        const g = await openGraph(chromium, snapshot, theme);
        const [x, y] = await screenPoint(g.p, snapshot, 1358);
        await g.p.page.mouse.move(x, y);
        await g.p.page.screenshot({ path: path.join(shots, `graph-${theme.replace('vscode-', '')}.png`) });
        await g.p.page.fill('.node-search', '1701');
        await g.p.page.press('.node-search', 'Enter');
        await g.p.page.screenshot({ path: path.join(shots, `graph-zoomed-${theme.replace('vscode-', '')}.png`) });
        await g.p.close();
        const d = await openPanel(chromium, root, 'degrees', { theme, width: 1200, height: 900 });
        await d.post(degreeSnapshot(cora, panelProvenance(cora)));
        await d.page.waitForSelector('body[data-degrees-ready="true"]');
        const bar = (await d.page.locator('svg[data-plot="dist"] rect.bar[data-degree="4"]').boundingBox())!;
        await d.page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
        await d.page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
        await d.page.screenshot({ path: path.join(shots, `degrees-${theme.replace('vscode-', '')}.png`), fullPage: true });
        await d.close();
      }
    }

    const generated = [];
    for (const [nodes, edges] of sizes) generated.push(await measureGeneratedGraph(chromium, nodes, edges));
    const ppi = await measurePpiGraph(chromium);
    log(`PPI graph (${ppi.nodes} nodes, ${ppi.edges} edges): first render ${ppi.firstRenderMs} ms, hover p95 ${ppi.hoverMs} ms, frame p95 ${ppi.frameP95Ms} ms, layout ${ppi.layoutMs} ms`);

    // The analysis panels, from a real (short) training's artifact.
    const { analysis, runId, runDir } = await shortTraining();
    const provenance = panelProvenance(cora, await readRun(runDir), path.dirname(path.dirname(runDir)));
    const tsne = runTsne(analysis.outputs, analysis.numNodes, analysis.numClasses, { iterations: 1000, seed: 42 });
    const embedding = embeddingSnapshot(cora, analysis, runId, provenance, tsne.embedding, { settings: { perplexity: 30, iterations: 1000, seed: 42 }, status: 'done', iteration: 1000, kl: tsne.kl });
    const tsneRenders: number[] = [];
    for (let i = 0; i < 5; i++) {
      const e = await openGraph(chromium, embedding);
      tsneRenders.push(e.inApp);
      await e.p.close();
    }
    const attention: AttentionSnapshot = { type: 'attentionSnapshot', provenance, data: attentionSnapshotData('cora', runId, analysis, 1358, 1), numNodes: analysis.numNodes, layers: analysis.heads.length };
    const attentionRenders: number[] = [];
    for (let i = 0; i < 5; i++) {
      const a = await openPanel(chromium, root, 'attention', { theme: 'vscode-dark', width: 1200, height: 800, state: { runId, node: 1358, layer: 1, head: 'all' } });
      attentionRenders.push(
        await a.page.evaluate(async (snapshot) => {
          const t0 = performance.now();
          window.postMessage(snapshot, '*');
          while (document.querySelector('.attention-grid')?.getAttribute('data-drawn') !== '8') await new Promise((r) => setTimeout(r, 0));
          await new Promise((r) => requestAnimationFrame(r));
          return performance.now() - t0;
        }, attention as unknown as Record<string, unknown>),
      );
      await a.close();
    }
    log(`t-SNE map first render ${tsneRenders.map((x) => x.toFixed(0)).join(', ')} ms; attention (8 heads) ${attentionRenders.map((x) => x.toFixed(0)).join(', ')} ms`);
    const whatIf = await measureWhatIf(chromium, root, { runId, runDir, provenance }, screenshots ? shots : null);
    log(`what-if edit of node 1358: ${whatIf.editMs} ms from the click to the redrawn panel (host ${whatIf.hostMs} ms, render ${whatIf.renderMs} ms)`);
    rmSync(path.dirname(path.dirname(runDir)), { recursive: true, force: true });

    const result = {
      bench: 'panels',
      dataset: 'cora',
      nodes: cora.numNodes,
      edges: snapshot.edgeU.length,
      graphFirstRenderMs: round(median(firsts)),
      graphPostToFrameMs: round(median(posts)),
      hoverMs: round(quantile(hovers, 0.95)),
      hoverSamples: hovers.length,
      hoverPaintedMs: round(quantile(painted, 0.95)),
      frameP95Ms: round(quantile(frames, 0.95)),
      frameSamples: frames.length,
      drawP95Ms: round(quantile(draws, 0.95)),
      layoutMs: Math.round(layoutMs),
      tsneRenderMs: round(median(tsneRenders)),
      ppi,
      generated,
      attentionRenderMs: round(median(attentionRenders)),
      whatIf,
      cpus: os.cpus().length,
      chromium: chromium.browser.version(),
      screenshots: screenshots ? path.relative(root, shots) : null,
    };
    console.log(JSON.stringify(result, null, json ? undefined : 2));
  } finally {
    await chromium.close();
  }
}

/** The what-if round trip alone (on a 30-epoch Cora run), with its screenshots. */
async function whatIfOnly(): Promise<void> {
  const cora = await loadPlanetoid('cora');
  const { runId, runDir } = await shortTraining();
  const provenance = panelProvenance(cora, await readRun(runDir), path.dirname(path.dirname(runDir)));
  if (screenshots) mkdirSync(shots, { recursive: true });
  const chromium = await launchChromium();
  try {
    const whatIf = await measureWhatIf(chromium, root, { runId, runDir, provenance }, screenshots ? shots : null);
    console.log(JSON.stringify({ bench: 'panels', dataset: 'cora', whatIf, cpus: os.cpus().length, chromium: chromium.browser.version() }, null, json ? undefined : 2));
  } finally {
    await chromium.close();
    rmSync(path.dirname(path.dirname(runDir)), { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
