import { loadDataset } from '../data/loadDataset';
import { modelSummary, readModelFile } from '../import/importModel';
import type { GraphDataset, GraphPart } from '../data/graph';
import { edgeStats, summarize, type GraphSummary } from '../stats/graphStats';
import type { OptionTable } from '../options/args';
import { JSON_OPTION } from '../options/commonOptions';
import { defineCommand, type CommandOptions, type Write } from './command';

const INSPECT_OPTIONS = {
  model: { type: 'string', placeholder: 'file', help: 'describe a model file instead (a PyTorch .pth or a safetensors model): format, SHA-256, architecture, tensors, what it says of itself (Markdown)' },
  datasetName: { type: 'string', default: 'cora', placeholder: 'name', help: 'dataset to inspect: cora (bundled), citeseer or ppi (downloaded), ba-shapes, ba-shapes-informative or dictionary-lookup[-k<K>] (generated), or your own with --data-dir' },
  dataDir: { type: 'string', placeholder: 'dir', help: 'folder with ind.<name>.* (or PPI-format) files and download cache (default: $GAT_DATA_DIR or the per-user cache)' },
  json: JSON_OPTION,
} as const satisfies OptionTable;

export const inspectCommand = defineCommand({
  summary: 'verify and describe a dataset (nodes, edges, degrees, split)',
  usage: 'gat inspect [options]',
  description: 'Load a dataset (Planetoid or PPI format, or a generated one), verify its checksums and print its facts; or, with --model, describe a model file.',
  options: INSPECT_OPTIONS,
  run: inspect,
});

async function inspect(opts: CommandOptions<typeof INSPECT_OPTIONS, never>, write: Write): Promise<number> {
  if (opts.model) {
    write(modelSummary(await readModelFile(opts.model)));
    return 0;
  }
  const started = performance.now();
  const graph = await loadDataset(opts.datasetName, { dataDir: opts.dataDir });
  const loadMs = performance.now() - started;
  const summary = summarize(graph);
  // Brandes' algorithm is O(nodes × edges): seconds on Cora, hours on PPI's 57,000 nodes.
  const betweenness = graph.numNodes <= MAX_BETWEENNESS_NODES ? betweennessSummary(graph) : null;
  const graphs = graph.graphs ? { train: countGraphs(graph.graphs, 'train'), val: countGraphs(graph.graphs, 'val'), test: countGraphs(graph.graphs, 'test') } : null;
  if (opts.json) write(JSON.stringify({ ...summary, format: graph.format ?? 'planetoid', checksumsVerifiedBy: graph.checksumsVerifiedBy ?? null, graphs, directed: graph.directed === true, multiLabel: graph.multiLabels !== undefined, motifs: graph.motifs ? motifCount(graph.motifs) : null, edgeBetweenness: betweenness, loadMs: round(loadMs), sourceDir: graph.sourceDir }) + '\n');
  else {
    write(formatSummary(summary, graph, loadMs));
    write(betweenness ? formatBetweenness(betweenness) : `  edge betweenness skipped: ${graph.numNodes} nodes (Brandes is O(nodes × edges); computed up to ${MAX_BETWEENNESS_NODES})\n`);
  }
  return 0;
}

const MAX_BETWEENNESS_NODES = 20_000;

function countGraphs(parts: readonly GraphPart[], split: GraphPart['split']): { graphs: number; nodes: number } {
  const of = parts.filter((p) => p.split === split);
  return { graphs: of.length, nodes: of.reduce((a, p) => a + p.numNodes, 0) };
}

function formatSummary(s: GraphSummary, g: GraphDataset, loadMs: number): string {
  const pct = (n: number): string => `${((100 * n) / s.nodes).toFixed(1)}%`;
  const multi = g.multiLabels;
  const labelLines = multi
    ? [`  labels           ${s.classes} (multi-label: ${(multi.reduce((a, b) => a + b, 0) / s.nodes).toFixed(1)} per node on average)`]
    : [`  classes          ${s.classes}`, ...s.classNames.map((n, i) => `    ${String(i).padStart(2)} ${n.padEnd(24)} ${String(s.classSizes[i]).padStart(5)}  ${pct(s.classSizes[i])}`)];
  const graphLines = g.graphs
    ? [`  graphs           ${g.graphs.length}: ${(['train', 'val', 'test'] as const).map((sp) => `${sp} ${countGraphs(g.graphs!, sp).graphs} (${countGraphs(g.graphs!, sp).nodes} nodes)`).join(', ')}`]
    : [];
  const lines = [
    `Dataset ${s.dataset} (${g.format === 'generated' ? 'generated in memory' : g.sourceDir}, ${verification(g)}, loaded in ${round(loadMs)} ms)`,
    `  nodes            ${s.nodes}`,
    `  features         ${s.features} (${s.nonZeros} non-zeros${g.format === 'ppi' || g.format === 'generated' ? '' : ', rows normalised to sum 1'})`,
    ...(g.motifs ? [`  motifs           ${motifCount(g.motifs)} planted, ${g.motifs.filter((m) => m >= 0).length} nodes in them`] : []),
    ...labelLines,
    ...graphLines,
    g.directed
      ? `  edges            ${s.directedEdges} directed, one way only (${s.undirectedEdges} node pairs), ${s.directedEdgesWithSelfLoops} with self-loops`
      : `  edges            ${s.undirectedEdges} undirected, ${s.directedEdges} directed, ${s.directedEdgesWithSelfLoops} with self-loops`,
    `  isolated nodes   ${s.isolatedNodes}`,
    `  degree           max ${s.maxDegree} (node ${s.maxDegreeNode}), mean ${s.meanDegree.toFixed(2)}, median ${s.medianDegree}, most common ${s.degreeMode}`,
    `  split            train ${s.split.train}, val ${s.split.val}, test ${s.split.test} (test nodes ${s.testRange[0]}–${s.testRange[1]})`,
  ];
  return lines.join('\n') + '\n';
}

function motifCount(motifs: Int32Array): number {
  return new Set(motifs.filter((m) => m >= 0)).size;
}

/** Says only what was checked: the files were verified before parsing, or there was nothing to verify them against. */
function verification(g: GraphDataset): string {
  if (g.format === 'generated') return 'from a fixed seed, no files to verify';
  switch (g.checksumsVerifiedBy) {
    case 'pinned':
      return 'checksums verified against the pinned SHA-256s';
    case 'SHA256SUMS':
      return 'checksums verified against SHA256SUMS';
    default:
      return 'no SHA256SUMS: not verified';
  }
}

interface BetweennessSummary {
  readonly max: number;
  readonly maxEdge: [number, number];
  readonly mean: number;
  readonly ms: number;
}

function betweennessSummary(graph: Parameters<typeof edgeStats>[0]): BetweennessSummary {
  const started = performance.now();
  const stats = edgeStats(graph);
  let best = 0;
  let sum = 0;
  for (let i = 0; i < stats.betweenness.length; i++) {
    sum += stats.betweenness[i];
    if (stats.betweenness[i] > stats.betweenness[best]) best = i;
  }
  const count = Math.max(1, stats.betweenness.length);
  return { max: round(stats.betweenness[best] ?? 0), maxEdge: [stats.u[best] ?? -1, stats.v[best] ?? -1], mean: round(sum / count), ms: round(performance.now() - started) };
}

function formatBetweenness(b: BetweennessSummary): string {
  return `  edge betweenness max ${b.max} (edge ${b.maxEdge[0]}–${b.maxEdge[1]}), mean ${b.mean} (Brandes, ${b.ms} ms)\n`;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
