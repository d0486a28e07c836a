/**
 * Big legal files (issue 25, item 9), through the real CLI: `gat compare` folds metrics.jsonl line
 * by line, so a long one costs no more memory than a short one; a node-link graph is streamed into
 * its parser (less memory than its size), and one past the stated limit is refused naming the file,
 * the limit and the variable that raises it.
 */
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RunWriter } from '../../src/gat/artifacts/runWriter';
import { runGat } from '../helpers/cli';
import { runGatMeasured } from '../helpers/peakRss';
import { writePpiFolder } from '../helpers/ppiFixture';
import { tempDir } from '../helpers/tempDir';

/** Two finished runs with one epoch each; returns their folders. */
async function twoRuns(): Promise<[string, string]> {
  const out = tempDir('gat-big-runs-');
  const dirs: string[] = [];
  for (const seed of [1, 2]) {
    const run = await RunWriter.create({ outDir: out, dataset: 'cora', seed, config: {}, backend: 'cpu', provenance: null, commandLine: ['gat', 'train'] });
    await run.appendEpoch({ epoch: 0, trainLoss: 1.9, trainAcc: 0.2, valLoss: 1.9, valAcc: 0.3, ms: 5 });
    await run.finish('completed');
    dirs.push(run.paths.runDir);
  }
  return [dirs[0], dirs[1]];
}

/**
 * Replaces a run's metrics.jsonl with `epochs` lines as the run writer writes them (JSON.stringify
 * of an epoch), ~130 bytes each: val accuracy peaks at epoch `best`, every epoch takes 2 ms.
 */
function writeLongMetrics(file: string, epochs: number, best: number): number {
  const fd = openSync(file, 'w');
  try {
    const batch: string[] = [];
    for (let e = 0; e < epochs; e++) {
      const valAcc = e === best ? 0.875 : 0.5 + (e % 1000) / 10_000;
      batch.push(JSON.stringify({ epoch: e, trainLoss: 1.2345678901234567 + e / 1e7, trainAcc: 0.6123456789012345, valLoss: 1.3456789012345678, valAcc, ms: 2 }));
      if (batch.length === 10_000 || e === epochs - 1) writeSync(fd, batch.splice(0).join('\n') + '\n');
    }
  } finally {
    closeSync(fd);
  }
  return statSync(file).size;
}

const row = (stdout: string, label: string): string => stdout.split('\n').find((l) => l.startsWith(label)) ?? `(no '${label}' row)`;

describe('gat compare reads metrics.jsonl line by line (the real CLI)', () => {
  it('a 50 MB metrics.jsonl costs no more memory than a one-line one, and is read to the end', async () => {
    const [a, b] = await twoRuns();
    const small = await runGatMeasured(['compare', a, b]);
    assert.equal(small.code, 0, small.stderr);
    const bytes = writeLongMetrics(path.join(b, 'metrics.jsonl'), 400_000, 345_678);
    assert.ok(bytes > 48e6, `${bytes} bytes`);
    const big = await runGatMeasured(['compare', a, b]);
    assert.equal(big.code, 0, big.stderr);
    assert.match(row(big.stdout, 'best epoch'), /\s1\s+345679\s/);
    assert.match(row(big.stdout, 'ms per epoch'), /\s5\.00\s+2\.00/);
    // Read whole, the text alone (and its lines, and an object per epoch) would add several times 50 MB.
    const growthMiB = big.peakRssMiB! - small.peakRssMiB!;
    assert.ok(growthMiB < 16, `peak RSS grew by ${growthMiB.toFixed(1)} MiB (${small.peakRssMiB!.toFixed(0)} → ${big.peakRssMiB!.toFixed(0)} MiB) for a ${(bytes / 1e6).toFixed(0)} MB metrics.jsonl`);
  });

  it('a line longer than 64 KiB ends in one line naming the file and the line (exit 2)', async () => {
    const [a, b] = await twoRuns();
    const metrics = path.join(b, 'metrics.jsonl');
    writeFileSync(metrics, readFileSync(metrics, 'utf8') + 'x'.repeat(1 << 20));
    const r = await runGat(['compare', a, b]);
    assert.equal(r.stderr, `gat compare: error: ${metrics} line 2 is longer than 64 KiB: not a metrics file (its lines are short): the run folder is damaged\n`);
    assert.equal(r.code, 2);
  });
});

describe('node-link graphs are streamed, within a stated limit (the real CLI)', () => {
  const ppi = (): string => {
    const dir = tempDir('gat-big-ppi-');
    writePpiFolder(dir, { graphs: { train: 1, valid: 1, test: 1 }, minNodes: 40, maxNodes: 50, features: 2, labels: 2 });
    return dir;
  };

  /** Rewrites train_graph.json with its links repeated until the file is at least `bytes` long (repeats are legal: networkx keeps them). */
  function growGraph(file: string, bytes: number): number {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { nodes: unknown[]; links: Array<{ source: number; target: number }> };
    const links = doc.links.map((l) => JSON.stringify({ source: l.source, target: l.target })).join(', ');
    const fd = openSync(file, 'w');
    try {
      writeSync(fd, `{"directed": false, "multigraph": false, "graph": {}, "nodes": ${JSON.stringify(doc.nodes)}, "links": [${links}`);
      for (let written = links.length; written < bytes; written += links.length + 2) writeSync(fd, `, ${links}`);
      writeSync(fd, ']}');
    } finally {
      closeSync(fd);
    }
    return statSync(file).size;
  }

  it('a 60 MB train_graph.json loads in less memory than its size (its text is never held)', async () => {
    const dir = ppi();
    const small = await runGatMeasured(['inspect', '--dataset-name', 'mine', '--data-dir', dir, '--json']);
    assert.equal(small.code, 0, small.stderr);
    const bytes = growGraph(path.join(dir, 'train_graph.json'), 60e6);
    const big = await runGatMeasured(['inspect', '--dataset-name', 'mine', '--data-dir', dir, '--json']);
    assert.equal(big.code, 0, big.stderr);
    assert.equal(JSON.parse(big.stdout).undirectedEdges, JSON.parse(small.stdout).undirectedEdges, 'the same graph, its links repeated');
    // Parsed whole, the text and its objects took about 7 times the file's size; streamed, the links
    // (8 bytes each, 16 more while the edges are sorted) take about 0.8 of it.
    const growthMiB = big.peakRssMiB! - small.peakRssMiB!;
    assert.ok(growthMiB < bytes / 2 ** 20, `peak RSS grew by ${growthMiB.toFixed(0)} MiB (${small.peakRssMiB!.toFixed(0)} → ${big.peakRssMiB!.toFixed(0)} MiB) for a ${(bytes / 1e6).toFixed(0)} MB graph file`);
  });

  it('a train_graph.json past the default 1 GiB: refused at once, naming the limit and the variable', async () => {
    const dir = ppi();
    const graph = path.join(dir, 'train_graph.json');
    truncateSync(graph, 1_100_000_000); // sparse: the size is what is refused, before a byte is read
    const r = await runGatMeasured(['inspect', '--dataset-name', 'mine', '--data-dir', dir], { timeoutMs: 30_000 });
    assert.equal(r.stderr, `gat inspect: error: ${graph} is 1100000000 bytes, more than the 1024 MiB a PPI-format dataset file may be; if it really is one, raise the limit with GAT_MAX_DATASET_MB=<MiB> (now 1024)\n`);
    assert.equal(r.code, 3);
    assert.ok(r.peakRssMiB! < 150, `peak RSS ${r.peakRssMiB!.toFixed(0)} MiB`);
  });

  it('a valid graph just over a lowered limit is refused; raised past it, the same file loads', async () => {
    const dir = ppi();
    const graph = path.join(dir, 'train_graph.json');
    const size = growGraph(graph, 1.1 * 2 ** 20);
    const refused = await runGat(['inspect', '--dataset-name', 'mine', '--data-dir', dir], { env: { GAT_MAX_DATASET_MB: '1' } });
    assert.equal(refused.stderr, `gat inspect: error: ${graph} is ${size} bytes, more than the 1 MiB a PPI-format dataset file may be; if it really is one, raise the limit with GAT_MAX_DATASET_MB=<MiB> (now 1)\n`);
    assert.equal(refused.code, 3);
    const loaded = await runGat(['inspect', '--dataset-name', 'mine', '--data-dir', dir, '--json'], { env: { GAT_MAX_DATASET_MB: '2' } });
    assert.equal(loaded.code, 0, loaded.stderr);
    assert.equal(JSON.parse(loaded.stdout).dataset, 'mine');
  });
});
