import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AttentionSnapshot, EntropySnapshot } from '../../protocol/analysisSnapshots';
import type { MetricsSnapshot } from '../../protocol/webviewMessages';
import { DEFAULT_EMBEDDING_SETTINGS, fitEmbeddingSettings, type EmbeddingSettings } from '../analysis/embeddingCache';
import { attentionSnapshotData, entropySnapshotData } from '../analysis/panelData';
import { readAnalysis } from '../artifacts/analysis';
import { readMetrics, readRun } from '../artifacts/runRecord';
import { userCacheDir } from '../data/dataDirs';
import { neighbourOffsets } from '../data/graph';
import { loadDataset } from '../data/loadDataset';
import { writeFileAtomic } from '../io/atomicWrite';
import { packageRoot } from '../io/packageFiles';
import { graphLayout } from '../layout/layoutCache';
import { embeddingSnapshot } from '../panels/embeddingSnapshot';
import { defaultGraphIndex, multiLabelView, scopeAnalysis, scopeDataset } from '../panels/graphScope';
import { degreeSnapshot, graphSnapshot } from '../panels/graphSnapshot';
import { panelProvenance } from '../panels/provenance';
import { runTsne } from '../tsne/tsne';
import { standaloneHtml, type StandalonePage } from './standalonePage';
import { attentionFigure } from '../../figures/attentionFigure';
import { entropyFigure, gridFigure } from '../../figures/entropyFigure';
import { entropyHistogram } from '../../figures/entropyModel';
import { buildGraphModel, categories, fitTransform, nodeCategories } from '../../figures/graphModel';
import { graphSvg } from '../../figures/graphSvg';
import { classColours, outcomeColours, THEME_BACKGROUND } from '../../figures/palette';
import type { GraphScope } from '../../protocol/graphScope';
import type { GraphSnapshot } from '../../protocol/webviewMessages';

/** A run that cannot be drawn, or an install missing its panel bundles: a one-line CLI error. */
export class FiguresError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'FiguresError';
  }
}

export interface FigureOptions {
  /** The run folder (…/runs/<run-id>). */
  readonly runDir: string;
  /** Where the HTML files go. */
  readonly outDir: string;
  readonly dataDir?: string;
  readonly embedding?: EmbeddingSettings;
  readonly log?: (message: string) => void;
}

const PAGES = [
  { file: 'graph.html', label: 'graph' },
  { file: 'degrees.html', label: 'degrees' },
  { file: 'attention.html', label: 'attention' },
  { file: 'entropy.html', label: 'entropy' },
  { file: 'embedding.html', label: 'embedding (t-SNE)' },
  { file: 'metrics.html', label: 'training metrics' },
] as const;

/** The folder with package.json above this module (dist/ in a build, the repo in tests). */
function extensionRoot(from: string = __dirname): string {
  const root = packageRoot(from, ['media']);
  if (root === undefined) throw new FiguresError(`cannot find GAT Explorer's files above ${from}`);
  return root;
}

/**
 * Writes every panel of a run as a standalone HTML page that works offline in a browser (the
 * original's `--should_visualize`, interactive): graph, degrees, attention of the largest hub,
 * entropy histograms, the t-SNE map and the training curves. Returns the files written.
 */
export async function writeFigures(o: FigureOptions): Promise<string[]> {
  const log = o.log ?? (() => undefined);
  const root = extensionRoot();
  const bundleOf = async (app: string): Promise<string> => {
    const file = path.join(root, 'dist', 'webview', `${app}.js`);
    try {
      return await fs.readFile(file, 'utf8');
    } catch {
      throw new FiguresError(`the panel bundle ${file} is missing: run \`npm run build\` (or reinstall GAT Explorer)`);
    }
  };
  const css = (await fs.readFile(path.join(root, 'media', 'webview.css'), 'utf8')) + '\n' + (await fs.readFile(path.join(root, 'media', 'standalone.css'), 'utf8'));

  const run = await readRun(o.runDir);
  if (!run.artifacts.analysis) throw new FiguresError(`run ${run.runId} (${run.status}) has no analysis artifact: figures need a completed run (or \`npx gat analyze --model <binary>\` first)`);
  const trainingOut = path.resolve(o.runDir, '..', '..');
  const wholeAnalysis = await readAnalysis(path.join(trainingOut, run.artifacts.analysis));
  const whole = await loadDataset(run.dataset, { dataDir: o.dataDir ?? run.datasetDir ?? undefined, download: false });
  const provenance = panelProvenance(whole, run, trainingOut);
  // An inductive dataset (PPI: 24 graphs, 57,000 nodes) is drawn one graph at a time, as the panels
  // open it: the graph, degree and embedding pages show the default graph; attention and entropy
  // cover the whole dataset (the hub is the dataset's, entropies pool every graph).
  const index = whole.graphs ? defaultGraphIndex(whole) : undefined;
  const part = index === undefined ? undefined : whole.graphs![index];
  const graph = part ? scopeDataset(whole, part) : whole;
  const analysis = part ? scopeAnalysis(wholeAnalysis, part) : wholeAnalysis;
  const scope: GraphScope | undefined = part ? { graphs: [{ id: part.id, split: part.split, numNodes: part.numNodes }], selected: 0, allowAll: false, nodeOffset: part.nodeStart } : undefined;
  const multiLabel = multiLabelView(graph, analysis);
  const scoped = (snapshot: GraphSnapshot): GraphSnapshot => ({ ...snapshot, ...(scope ? { scope } : {}), ...(multiLabel ? { multiLabel } : {}) });
  const runView = { runId: run.runId, predictions: analysis.predictions, confidence: analysis.confidence };

  log(`laying out the graph${part ? ` (graph ${part.id}, ${part.split})` : ''}…`);
  const layout = await graphLayout(graph, { cacheDir: userCacheDir('layouts'), workerScript: path.join(root, 'dist', 'layoutWorker.js') });
  const offsets = neighbourOffsets(whole);
  let hub = 0;
  for (let i = 1; i < whole.numNodes; i++) if (offsets[i + 1] - offsets[i] > offsets[hub + 1] - offsets[hub]) hub = i;
  const layers = wholeAnalysis.heads.length;
  const attention = (layer: number): AttentionSnapshot => ({ type: 'attentionSnapshot', provenance, data: attentionSnapshotData(run.dataset, run.runId, wholeAnalysis, hub, layer), numNodes: wholeAnalysis.numNodes, layers });
  const entropy = (layer: number): EntropySnapshot => ({ type: 'entropySnapshot', provenance, data: entropySnapshotData(run.dataset, run.runId, wholeAnalysis, layer), layers });
  const settings = o.embedding ?? fitEmbeddingSettings(DEFAULT_EMBEDDING_SETTINGS, analysis.numNodes);
  log(`t-SNE of the outputs (${analysis.numNodes} × ${analysis.numClasses}, ${settings.iterations} iterations)…`);
  const tsne = runTsne(analysis.outputs, analysis.numNodes, analysis.numClasses, settings);
  const metrics: MetricsSnapshot = { type: 'metricsSnapshot', provenance, live: false, epochs: await readMetrics(o.runDir), metric: run.metric, compact: false };
  const graphTitle = `${graph.name} graph${part ? ` ${part.id} (${part.split})` : ''}`;

  const nav = PAGES.map((p) => ({ label: p.label, href: p.file }));
  const pages: Array<[string, StandalonePage]> = [
    ['graph.html', { title: `${graphTitle} · ${run.runId}`, app: 'graph', snapshot: scoped(graphSnapshot(graph, layout, provenance, runView)), nav }],
    ['degrees.html', { title: `${graphTitle} degrees`, app: 'degrees', snapshot: scope ? { ...degreeSnapshot(graph, provenance), scope } : degreeSnapshot(graph, provenance), nav }],
    ['attention.html', { title: `attention of node ${hub} · ${run.runId}`, app: 'attention', snapshot: attention(1), extra: Object.fromEntries(Array.from({ length: layers }, (_, l) => [`attention:${hub}:${l + 1}`, attention(l + 1)])), nav }],
    ['entropy.html', { title: `attention entropy · ${run.runId}`, app: 'entropy', snapshot: entropy(1), extra: Object.fromEntries(Array.from({ length: layers }, (_, l) => [`entropy:${l + 1}`, entropy(l + 1)])), nav }],
    ['embedding.html', { title: `t-SNE of the outputs · ${run.runId}`, app: 'embedding', snapshot: scoped(embeddingSnapshot(graph, analysis, run.runId, provenance, tsne.embedding, { settings, status: 'done', iteration: settings.iterations, kl: tsne.kl, seconds: tsne.timings.totalSeconds })), nav }],
    ['metrics.html', { title: `training metrics · ${run.runId}`, app: 'metrics', snapshot: metrics, nav }],
  ];
  const written: string[] = [];
  for (const [file, page] of pages) {
    const target = path.join(o.outDir, file);
    await writeFileAtomic(target, standaloneHtml(page, await bundleOf(page.app), css));
    written.push(target);
  }
  // Static SVGs of the original's figures, drawn by the same pure code as the panels (light theme).
  const svgs: Array<[string, string]> = [
    ['graph.svg', graphFigure(pages[0][1].snapshot as GraphSnapshot, `${graphTitle} · ${run.runId}`)],
    ['embedding.svg', graphFigure(pages[4][1].snapshot as GraphSnapshot, `t-SNE of the outputs · ${run.runId}`)],
    ['attention.svg', attentionGrid(attention(1).data)],
    ['entropy.svg', entropyGrid(entropy(1).data)],
  ];
  for (const [file, markup] of svgs) {
    const target = path.join(o.outDir, file);
    await writeFileAtomic(target, markup);
    written.push(target);
  }
  return written;
}

const LIGHT = { background: THEME_BACKGROUND.light, foreground: '#333333', edges: '#8a8a8a', learned: '#d18616', uniform: '#1a85ff' };

function graphFigure(snapshot: GraphSnapshot, title: string): string {
  const model = buildGraphModel(snapshot);
  const width = 1200;
  const height = 900;
  const category = nodeCategories(snapshot, 'class');
  const legend = categories(snapshot, 'class', category, classColours('light', snapshot.classNames.length), outcomeColours('light'));
  return graphSvg(model, { transform: fitTransform(model, width, height), width, height, visible: new Uint8Array(model.n).fill(1), category, colours: legend.map((c) => c.colour), background: LIGHT.background, foreground: LIGHT.foreground, legend, title });
}

function attentionGrid(data: AttentionSnapshot['data']): string {
  const size = 300;
  const figures = Array.from({ length: data.heads }, (_, head) => ({
    markup: attentionFigure(data, { head, layout: 'radial', relative: false, size, classColours: classColours('light', data.classNames.length), foreground: LIGHT.foreground, edgeColour: LIGHT.edges }),
    width: size,
    height: size,
  }));
  return gridFigure(figures, 4, LIGHT.background);
}

function entropyGrid(data: EntropySnapshot['data']): string {
  const figures = data.learned.map((learned, head) => ({
    markup: entropyFigure(entropyHistogram(learned, data.uniform, 30), { title: `layer ${data.layer} · head ${head + 1}`, width: 320, height: 180, learnedColour: LIGHT.learned, uniformColour: LIGHT.uniform, foreground: LIGHT.foreground, axisColour: LIGHT.foreground }),
    width: 320,
    height: 180,
  }));
  return gridFigure(figures, 4, LIGHT.background);
}
