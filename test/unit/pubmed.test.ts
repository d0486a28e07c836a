/**
 * PubMed: a known dataset downloaded on demand with every file's SHA-256 pinned, the GAT paper's
 * PubMed recipe, and the published counts checked after loading. The real allx cannot be fetched
 * here, so the loading and training tests use generated Planetoid files of PubMed's sizes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRun } from '../../src/gat/artifacts/runRecord';
import { factsMismatch, KNOWN_DATASETS, PLANETOID_SUFFIXES } from '../../src/gat/data/knownDatasets';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { CORA_RECIPE, recipeFor } from '../../src/gat/train/recipes';
import { runGat } from '../helpers/cli';
import { PUBMED_SIZES, writeSizedPlanetoid } from '../helpers/planetoidSized';
import { tempDir } from '../helpers/tempDir';
import { runDirs } from '../helpers/trainedCora';

describe('PubMed', () => {
  it('is a known dataset: eight files with pinned SHA-256, its class names and published counts', () => {
    const p = KNOWN_DATASETS.pubmed;
    assert.equal(p.bundled, false);
    assert.deepEqual(Object.keys(p.sha256).sort(), [...PLANETOID_SUFFIXES].sort());
    assert.ok(Object.values(p.sha256).every((h) => /^[0-9a-f]{64}$/.test(h)));
    assert.equal(p.sha256.allx, '508e538e2abdccdd54c4d3e9f49d638b4af7107d85845f66ddea5a5152658b7e');
    assert.equal(p.classNames.length, 3);
    assert.deepEqual(p.facts, { nodes: 19_717, features: 500, classes: 3, undirectedEdges: 44_324, split: [60, 500, 1000] });
  });

  it("trains with the GAT paper's PubMed recipe: 8 output heads averaged, lr 0.01, weight decay 0.001; Cora's is unchanged", () => {
    const r = recipeFor({ name: 'pubmed', graphs: undefined, multiLabels: undefined });
    assert.deepEqual([r.heads, r.hidden, r.lr, r.weightDecay, r.dropout, r.numOfEpochs, r.patiencePeriod], [[8, 8], [8], 0.01, 1e-3, 0.6, 10_000, 1000]);
    assert.equal(recipeFor({ name: 'cora', graphs: undefined, multiLabels: undefined }), CORA_RECIPE);
    assert.equal(recipeFor({ name: 'citeseer', graphs: undefined, multiLabels: undefined }), CORA_RECIPE);
  });

  it("generated files of PubMed's sizes load with PubMed's published counts", async () => {
    const dir = tempDir();
    writeSizedPlanetoid(dir, PUBMED_SIZES);
    const g = await loadPlanetoid(PUBMED_SIZES.name, { dataDir: dir });
    const counts = { numNodes: g.numNodes, numFeatures: g.numFeatures, numClasses: g.numClasses, undirectedEdges: g.edgeSource.length / 2, split: [g.split.train.length, g.split.val.length, g.split.test.length] as [number, number, number] };
    assert.equal(factsMismatch(KNOWN_DATASETS.pubmed.facts, counts), undefined);
    assert.equal(factsMismatch(KNOWN_DATASETS.pubmed.facts, { ...counts, undirectedEdges: 44_323 }), '44323 undirected edges, but the published dataset has 44324');
  });

  it('files named ind.pubmed.* that are not the real ones are refused by their pinned checksum, naming it', async () => {
    const dir = tempDir();
    writeSizedPlanetoid(dir, { ...PUBMED_SIZES, name: 'pubmed' });
    const r = await runGat(['train', '--dataset-name', 'pubmed', '--data-dir', dir, '--num-of-epochs', '1', '--backend', 'wasm', '--out', tempDir()]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /ind\.pubmed\.(x|tx|allx|y|ty|ally|graph|test\.index) is corrupt or truncated: expected SHA-256 [0-9a-f]{64}/);
  });

  it('trains 2 epochs on the generated PubMed-sized set through the real CLI (Cora recipe under another name)', async () => {
    const dir = tempDir();
    writeSizedPlanetoid(dir, PUBMED_SIZES);
    const out = tempDir();
    const r = await runGat(['train', '--dataset-name', PUBMED_SIZES.name, '--data-dir', dir, '--num-of-epochs', '2', '--should-test', '--backend', 'wasm', '--out', out], { timeoutMs: 300_000 });
    assert.equal(r.code, 0, r.stderr);
    const run = await readRun(runDirs(out)[0]);
    assert.equal(run.epochs, 2);
    assert.equal((run.config as { heads: number[] }).heads.join(), '8,1', 'a dataset not named pubmed keeps the Cora recipe');
    assert.ok(run.testAcc !== null);
  });
});
