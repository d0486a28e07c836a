/**
 * The Computation panel on a GATv2 run (trained through the real CLI on the TF.js CPU back end):
 * its own steps, x_l and x_r, the per-pair score, no per-neighbour s_j column, each step linked to
 * the GATv2 code (the generic engine's marked lines), with the explanation's numbers.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { explainRunNode } from '../../src/gat/cli/explainCommand';
import type { ComputationSnapshot, ExplainSources } from '../../src/protocol/explanation';
import { repoRoot } from '../helpers/paths';
import { launchChromium, openPanel, type BrowserHandle, type PanelPage } from './harness';
import { trainedCora } from './trainedCora';

describe('Computation panel in Chromium (a GATv2 run)', () => {
  let chromium: BrowserHandle;
  let snapshot: ComputationSnapshot;
  let p: PanelPage;

  before(async () => {
    const t = await trainedCora('cpu', { args: ['--model', 'gatv2'] });
    const explanation = await explainRunNode(t.runDir, 1358);
    const sources = JSON.parse(readFileSync(path.join(repoRoot, 'dist', 'explainSources.json'), 'utf8')) as ExplainSources;
    snapshot = { type: 'computationSnapshot', provenance: t.provenance, explanation, sources };
    chromium = await launchChromium();
    p = await openPanel(chromium, repoRoot, 'computation');
    await p.post(snapshot);
    await p.page.waitForSelector('body[data-computation-ready="true"]');
  });
  after(async () => {
    await chromium?.close();
  });

  it("shows GATv2's own steps, linked to the GATv2 code, with x_l, x_r and the pair scores", async () => {
    const steps = await p.page.$$eval('.step', (els) => els.map((e) => e.getAttribute('data-step')));
    assert.deepEqual(steps, ['input', 'v2Projection', 'v2Scores', 'v2Attention', 'v2Aggregate', 'combine']);
    const formulas = await p.page.$$eval('.step .formula', (els) => els.map((e) => e.textContent ?? ''));
    assert.match(formulas[1], /^x_l = W_l h \+ b_l .* x_r = W_r h_i \+ b_r/);
    assert.match(formulas[2], /^e_ij = att · LeakyReLU\(x_l\[j\] \+ x_r\[i\], slope 0\.2\)/);
    const links = await p.page.$$eval('.step .source-link', (els) => els.map((e) => e.textContent));
    for (const s of ['v2Projection', 'v2Scores', 'v2Attention', 'v2Aggregate'] as const) assert.ok(links.includes(`code: ${snapshot.sources[s]!.file}:${snapshot.sources[s]!.line}`), s);
    assert.equal(snapshot.sources.v2Scores!.file, 'src/gat/model/genericEngine.ts');
    const headers = await p.page.$$eval('.attention-table thead th', (els) => els.map((e) => e.textContent));
    assert.ok(!headers.includes('s_j') && headers.includes('e_ij'), headers.join());
    const head = snapshot.explanation.layers[0].perHead[0];
    const rows = await p.page.$$eval('.neighbour-row', (els) => els.map((e) => [Number(e.getAttribute('data-node')), Number(e.getAttribute('data-weight'))] as [number, number]));
    const weights = new Map(head.neighbours.map((n) => [n.node, n.weight]));
    assert.equal(rows.length, head.neighbours.length);
    for (const [node, w] of rows) assert.equal(w, weights.get(node), `node ${node}`);
    const vectors = await p.page.$$eval('.step[data-step="v2Projection"] .vector', (els) => els.length);
    assert.equal(vectors, 2, 'x_l and x_r');
  });
});
