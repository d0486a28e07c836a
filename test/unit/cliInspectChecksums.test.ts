/**
 * `gat inspect` says only what it checked (issue 25, item 10): "checksums verified" when the files
 * were checked against pinned SHA-256s or the folder's SHA256SUMS, "no SHA256SUMS: not verified"
 * when there was nothing to check them against.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runGat } from '../helpers/cli';
import { fixturePlanetoidDir } from '../helpers/paths';
import { writePpiFolder } from '../helpers/ppiFixture';
import { tempDir } from '../helpers/tempDir';

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** SHA256SUMS for every file in `dir`, as `sha256sum * > SHA256SUMS` writes it. */
function writeSums(dir: string): void {
  const lines = readdirSync(dir).sort().map((f) => `${sha256(path.join(dir, f))}  ${f}`);
  writeFileSync(path.join(dir, 'SHA256SUMS'), lines.join('\n') + '\n');
}

/** Citeseer's files renamed to ind.mine.*: a Planetoid dataset GAT Explorer has no pinned checksums for. */
function unpinnedPlanetoid(): string {
  const dir = tempDir('gat-inspect-mine-');
  for (const f of readdirSync(fixturePlanetoidDir).filter((f) => f.startsWith('ind.citeseer.'))) copyFileSync(path.join(fixturePlanetoidDir, f), path.join(dir, f.replace('ind.citeseer.', 'ind.mine.')));
  return dir;
}

function ppiFolder(): string {
  const dir = tempDir('gat-inspect-ppi-');
  writePpiFolder(dir, { graphs: { train: 1, valid: 1, test: 1 }, minNodes: 3, maxNodes: 6, features: 2, labels: 2 });
  return dir;
}

async function inspect(args: readonly string[]): Promise<{ text: string; json: { checksumsVerifiedBy: unknown } }> {
  const text = await runGat(['inspect', ...args]);
  assert.equal(text.code, 0, text.stderr);
  const json = await runGat(['inspect', ...args, '--json']);
  assert.equal(json.code, 0, json.stderr);
  return { text: text.stdout.split('\n')[0], json: JSON.parse(json.stdout) as { checksumsVerifiedBy: unknown } };
}

describe('gat inspect says whether checksums were verified (the real CLI)', () => {
  it('a PPI-format folder without SHA256SUMS: not verified', async () => {
    const dir = ppiFolder();
    const r = await inspect(['--dataset-name', 'mine', '--data-dir', dir]);
    assert.equal(r.text.startsWith(`Dataset mine (${dir}, no SHA256SUMS: not verified, loaded in `), true, r.text);
    assert.doesNotMatch(r.text, /checksums verified/);
    assert.equal(r.json.checksumsVerifiedBy, null);
  });

  it('the same folder with a SHA256SUMS: verified against it', async () => {
    const dir = ppiFolder();
    writeSums(dir);
    const r = await inspect(['--dataset-name', 'mine', '--data-dir', dir]);
    assert.equal(r.text.startsWith(`Dataset mine (${dir}, checksums verified against SHA256SUMS, loaded in `), true, r.text);
    assert.equal(r.json.checksumsVerifiedBy, 'SHA256SUMS');
  });

  it('a Planetoid dataset of your own: not verified without SHA256SUMS, verified with it', async () => {
    const dir = unpinnedPlanetoid();
    const before = await inspect(['--dataset-name', 'mine', '--data-dir', dir]);
    assert.match(before.text, /, no SHA256SUMS: not verified, loaded in /);
    assert.equal(before.json.checksumsVerifiedBy, null);
    writeSums(dir);
    const after = await inspect(['--dataset-name', 'mine', '--data-dir', dir]);
    assert.match(after.text, /, checksums verified against SHA256SUMS, loaded in /);
    assert.equal(after.json.checksumsVerifiedBy, 'SHA256SUMS');
  });

  it('bundled Cora: verified against the pinned SHA-256s', async () => {
    const r = await inspect(['--dataset-name', 'cora']);
    assert.match(r.text, /^Dataset cora \(.*, checksums verified against the pinned SHA-256s, loaded in /);
    assert.equal(r.json.checksumsVerifiedBy, 'pinned');
  });
});
