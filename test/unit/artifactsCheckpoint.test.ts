import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ArtifactReadError } from '../../src/gat/artifacts/artifactRead';
import { readCheckpoint, readModelBinary, writeCheckpoint, writeModelBinary, type Checkpoint } from '../../src/gat/artifacts/checkpoint';
import { findGitCommit } from '../../src/gat/artifacts/gitCommit';
import { ARTIFACT_FORMAT, collectProvenance, parseProvenance, provenanceMetadata } from '../../src/gat/artifacts/provenance';
import { decodeSafetensors } from '../../src/gat/artifacts/safetensors';
import { coraShapedParams } from '../helpers/coraParams';
import { repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';

const params = [
  { name: 'layer0.weight', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) },
  { name: 'layer0.bias', shape: [2], data: Float32Array.from([-1, 0.5]) },
];
const ckpt: Checkpoint = {
  params,
  optimizer: { step: 17, tensors: [{ name: 'm.layer0.weight', shape: [2, 2], data: Float32Array.from([0.1, 0.2, 0.3, 0.4]) }] },
  epoch: 17,
  metadata: { dataset: 'cora', seed: '42' },
};

describe('checkpoints and model binaries', () => {
  it('round-trips parameters, optimizer state, epoch and metadata', async () => {
    const file = path.join(tempDir(), 'deep', 'ckpt.safetensors');
    await writeCheckpoint(file, ckpt);
    const back = await readCheckpoint(file);
    assert.equal(back.epoch, 17);
    assert.equal(back.optimizer.step, 17);
    assert.deepEqual(back.params.map((p) => [p.name, [...p.shape], Array.from(p.data)]), params.map((p) => [p.name, p.shape, Array.from(p.data)]));
    assert.deepEqual(back.optimizer.tensors.map((t) => [t.name, Array.from(t.data)]), [['m.layer0.weight', [0.1, 0.2, 0.3, 0.4].map(Math.fround)]]);
    assert.equal(back.metadata.dataset, 'cora');
    assert.equal(back.metadata.kind, 'checkpoint');
    // Stored flat for Python users, optimizer tensors under a prefix.
    const raw = decodeSafetensors(readFileSync(file));
    assert.deepEqual(raw.tensors.map((t) => t.name), ['layer0.weight', 'layer0.bias', 'optimizer.m.layer0.weight']);
  });

  it('rejects a parameter whose name would collide with the optimizer prefix', async () => {
    const bad = { ...ckpt, params: [{ name: 'optimizer.x', shape: [1], data: new Float32Array(1) }] };
    await assert.rejects(writeCheckpoint(path.join(tempDir(), 'c.safetensors'), bad), /may not start with 'optimizer\.'/);
  });

  it('refuses to resume from a model binary, and explains', async () => {
    const file = path.join(tempDir(), 'model.safetensors');
    await writeModelBinary(file, params, {});
    await assert.rejects(readCheckpoint(file), (e: unknown) => e instanceof ArtifactReadError && /is not a GAT Explorer checkpoint \(kind 'model'/.test(e.message) && e.message.includes(file));
  });

  it('reads a model binary, or the parameters of a checkpoint', async () => {
    const dir = tempDir();
    await writeModelBinary(path.join(dir, 'm.safetensors'), params, { dataset: 'cora' });
    await writeCheckpoint(path.join(dir, 'c.safetensors'), ckpt);
    const m = await readModelBinary(path.join(dir, 'm.safetensors'));
    assert.deepEqual(m.params.map((p) => p.name), ['layer0.weight', 'layer0.bias']);
    assert.equal(m.metadata.kind, 'model');
    const c = await readModelBinary(path.join(dir, 'c.safetensors'));
    assert.deepEqual(c.params.map((p) => p.name), ['layer0.weight', 'layer0.bias']);
  });

  it('names the missing file and what to do', async () => {
    const file = path.join(tempDir(), 'nope.safetensors');
    await assert.rejects(readModelBinary(file), (e: unknown) => e instanceof ArtifactReadError && e.message.includes(`no model binary at ${file}`) && /npx gat train/.test(e.message));
  });

  it('reports a corrupt file as invalid, naming it', async () => {
    const file = path.join(tempDir(), 'bad.safetensors');
    writeFileSync(file, Buffer.from([1, 2, 3]));
    await assert.rejects(readCheckpoint(file), (e: unknown) => e instanceof ArtifactReadError && e.message.startsWith(`${file} is not a valid checkpoint: truncated`));
  });

  it('writes a Cora-shaped model binary with full provenance in at most 400 KB', async () => {
    const file = path.join(tempDir(), 'gat_cora.safetensors');
    const prov = collectProvenance({ dataset: 'cora', datasetChecksums: { 'ind.cora.x': 'a'.repeat(64) }, config: { heads: [8, 1] }, seed: 42, backend: 'cpu', cwd: repoRoot });
    await writeModelBinary(file, coraShapedParams(), provenanceMetadata({ ...prov, endedAt: new Date().toISOString(), epoch: 1500, metrics: { testAcc: 0.83 } }));
    const size = readFileSync(file).length;
    assert.ok(size <= 400 * 1024, `model binary is ${size} bytes`);
  });
});

describe('provenance', () => {
  it('collects versions, commit and config, and survives the string-metadata round trip', () => {
    const p = collectProvenance({ dataset: 'cora', datasetChecksums: { 'ind.cora.x': 'abc' }, config: { lr: 0.005, heads: [8, 1] }, seed: 7, backend: 'wasm', startedAt: new Date('2026-01-02T03:04:05Z'), cwd: repoRoot });
    assert.equal(p.versions.node, process.version);
    assert.equal(p.versions['gat-explorer'], (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version);
    assert.match(p.versions.tfjs ?? '', /^\d+\.\d+\.\d+/);
    const meta = provenanceMetadata({ ...p, epoch: 12, metrics: { valAcc: 0.8 } });
    assert.ok(Object.values(meta).every((v) => typeof v === 'string'));
    assert.equal(meta.format, ARTIFACT_FORMAT);
    assert.equal(meta.seed, '7');
    assert.equal(meta.startedAt, '2026-01-02T03:04:05.000Z');
    assert.deepEqual(parseProvenance(meta), { ...p, epoch: 12, metrics: { valAcc: 0.8 } });
  });

  it('records the HEAD commit inside a git repository, as git itself reports it', () => {
    const expected = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    assert.equal(findGitCommit(path.join(repoRoot, 'src', 'gat')), expected);
  });

  it('follows a symbolic ref through packed-refs, and a detached HEAD', () => {
    const repo = tempDir();
    const sha = 'ab'.repeat(20);
    mkdirSync(path.join(repo, '.git', 'refs', 'heads'), { recursive: true });
    writeFileSync(path.join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(path.join(repo, '.git', 'packed-refs'), `# pack-refs with: peeled\n${sha} refs/heads/main\n`);
    mkdirSync(path.join(repo, 'sub'));
    assert.equal(findGitCommit(path.join(repo, 'sub')), sha);
    writeFileSync(path.join(repo, '.git', 'HEAD'), `${'cd'.repeat(20)}\n`);
    assert.equal(findGitCommit(repo), 'cd'.repeat(20));
  });

  it('leaves gitCommit out of the metadata outside a repository', () => {
    const p = collectProvenance({ dataset: 'cora', datasetChecksums: {}, config: null, seed: 1, backend: 'cpu', cwd: '/' });
    assert.equal(p.gitCommit, null);
    assert.equal('gitCommit' in provenanceMetadata(p), false);
  });
});
