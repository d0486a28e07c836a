/**
 * Memory bombs in small .pth files: tensors that view one huge storage many times, a sliver of a
 * storage that must be inflated whole, and storages that share one deflate stream. Each is
 * refused from the sizes the file declares, before anything big is allocated: through readPth,
 * and through the real CLI with a 300 MB ceiling on its peak memory. The first two
 * were written by real PyTorch and re-zipped (scripts/hostilePthFixtures.py); the third is made
 * here byte by byte, as no ZIP writer makes it.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isPthTensor, PthError, readPth } from '../../src/gat/import/pthArchive';
import { MAX_MODEL_BYTES, modelByteLimit } from '../../src/gat/import/pthBudget';
import { runGat } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';
import { runGatMeasured } from '../helpers/peakRss';
import { tempDir } from '../helpers/tempDir';
import { handMadeZip, sharedStreamPth } from '../helpers/zipBomb';

const PTH = path.join(repoRoot, 'test', 'fixtures', 'pth');
const SHARED = path.join(PTH, 'bombs', 'hostile_shared_storage.pth');
const SLIVER = path.join(PTH, 'bombs', 'hostile_sliver_view.pth');
const bytesOf = (file: string): Uint8Array => new Uint8Array(readFileSync(file));
const CEILING_MB = 300;

const sharedMessage = (file: string): string =>
  `${file}: reading it would take 3.0 GiB for its tensors as float32 and 512.0 MiB to decompress its storages, more than the 128.0 MiB a model file may take (a GAT is a few MB). If you trust this file and the model is that large, raise the limit with GAT_MAX_MODEL_BYTES=<bytes>`;
const sliverMessage = (file: string): string =>
  `${file}: its compressed storages ('0') inflate to 64.0 MiB for tensors that need 40 bytes (more than 4×): the tensors view a sliver of what would have to be decompressed. Save the model again with torch.save(model.state_dict()), which stores tensors uncompressed`;
const overlapMessage = (file: string): RegExp =>
  new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not a PyTorch \\.pth archive: entries 'archive/data/0' \\(bytes \\d+–\\d+\\) and 'archive/data/1' \\(from byte \\d+\\) overlap; entries that share bytes make a small file inflate to gigabytes \\(a ZIP bomb\\), so the archive is refused$`);

/** Five storages that are one 64 MiB deflate stream (about 65 KB in the file). */
function overlappingPth(): string {
  const file = path.join(tempDir(), 'five_storages_one_stream.pth');
  writeFileSync(file, sharedStreamPth(5, 64 * 1024 * 1024));
  return file;
}

describe('readPth keeps one budget over every storage and tensor', () => {
  it('the fixtures are small files that would inflate to gigabytes', () => {
    assert.ok(bytesOf(SHARED).length < 600_000, `${bytesOf(SHARED).length} bytes`);
    assert.ok(bytesOf(SLIVER).length < 100_000, `${bytesOf(SLIVER).length} bytes`);
  });

  it('refuses three full-size views of one 512 MiB float16 storage, naming the sizes, the limit and how to raise it', () => {
    assert.throws(() => readPth(bytesOf(SHARED), 'shared.pth'), (e: unknown) => e instanceof PthError && !e.unsafe && e.message === sharedMessage('shared.pth'));
  });

  it('refuses a 10-element view whose 64 MiB storage would be inflated whole, and says how to save it instead', () => {
    assert.throws(() => readPth(bytesOf(SLIVER), 'sliver.pth'), (e: unknown) => e instanceof PthError && e.message === sliverMessage('sliver.pth'));
  });

  it('refuses five storages that share one deflate stream, as overlapping ZIP entries', () => {
    const file = overlappingPth();
    assert.throws(() => readPth(bytesOf(file), file), (e: unknown) => e instanceof PthError && overlapMessage(file).test(e.message));
  });

  it('counts a real model against the limit it is given: the Cora checkpoint needs 369,492 bytes as float32', () => {
    const cora = bytesOf(path.join(PTH, 'gat_cora_checkpoint.pth'));
    const value = readPth(cora, 'cora.pth', { maxBytes: 369_492 });
    assert.ok(value instanceof Map && value.get('state_dict') instanceof Map);
    assert.throws(
      () => readPth(cora, 'cora.pth', { maxBytes: 369_491 }),
      (e: unknown) => e instanceof PthError && e.message === 'cora.pth: reading it would take 369492 bytes for its tensors as float32, more than the 369491 bytes a model file may take (a GAT is a few MB). If you trust this file and the model is that large, raise the limit with GAT_MAX_MODEL_BYTES=<bytes>',
    );
  });

  it('refuses a data.pkl over 256 KiB (a state_dict pickle is 1 to 2 KB) before inflating it', () => {
    const bytes = handMadeZip([{ name: 'archive/data.pkl', content: new Uint8Array(300_000), deflate: true }]);
    assert.throws(() => readPth(bytes, 'big.pth'), (e: unknown) => e instanceof PthError && e.message === "big.pth: entry 'archive/data.pkl' declares 300000 bytes, more than the 262144 such an entry may hold in a model file");
  });

  it('still reads float16 and float64 storages and strided views within the default budget', () => {
    for (const name of ['tiny_state_dict_f16.pth', 'tiny_state_dict_f64_strided.pth', 'ppi_shape_skip.pth']) {
      const value = readPth(bytesOf(path.join(PTH, name)), name);
      assert.ok(value instanceof Map && [...value.values()].every((v) => isPthTensor(v)), name);
    }
  });

  it('takes the limit from GAT_MAX_MODEL_BYTES, digits only', () => {
    assert.equal(modelByteLimit({}), MAX_MODEL_BYTES);
    assert.equal(modelByteLimit({ GAT_MAX_MODEL_BYTES: '' }), MAX_MODEL_BYTES);
    assert.equal(modelByteLimit({ GAT_MAX_MODEL_BYTES: '4294967296' }), 2 ** 32);
    for (const bad of ['0x10', '1e9', '-5', '0', '12 MB', 'lots']) {
      assert.throws(() => modelByteLimit({ GAT_MAX_MODEL_BYTES: bad }), (e: unknown) => e instanceof Error && e.name === 'UsageError' && e.message.startsWith(`GAT_MAX_MODEL_BYTES is '${bad}': set it to a number of bytes (digits only`), bad);
    }
  });
});

describe('hostile .pth files through the real CLI, under a 300 MB memory ceiling', () => {
  for (const command of ['inspect', 'import', 'analyze'] as const) {
    it(`gat ${command} refuses the shared-storage bomb with exit 2 and one line`, async () => {
      const extra = command === 'import' ? ['--out', tempDir(), '--backend', 'wasm'] : command === 'analyze' ? ['--backend', 'wasm'] : [];
      const r = await runGatMeasured([command, '--model', SHARED, ...extra]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `gat ${command}: error: ${sharedMessage(SHARED)}\n`);
      assert.ok(r.peakRssMiB! < CEILING_MB, `peak RSS ${r.peakRssMiB!.toFixed(0)} MiB`);
    });
  }

  it('gat inspect refuses the sliver view and the overlapping entries, each with exit 2 and one line', async () => {
    const sliver = await runGatMeasured(['inspect', '--model', SLIVER]);
    assert.equal(sliver.code, 2, sliver.stderr);
    assert.equal(sliver.stderr, `gat inspect: error: ${sliverMessage(SLIVER)}\n`);
    assert.ok(sliver.peakRssMiB! < CEILING_MB, `peak RSS ${sliver.peakRssMiB!.toFixed(0)} MiB`);
    const file = overlappingPth();
    const overlap = await runGatMeasured(['inspect', '--model', file]);
    assert.equal(overlap.code, 2, overlap.stderr);
    const line = overlap.stderr.replace(/^gat inspect: error: /, '').replace(/\n$/, '');
    assert.match(line, overlapMessage(file));
    assert.ok(overlap.peakRssMiB! < CEILING_MB, `peak RSS ${overlap.peakRssMiB!.toFixed(0)} MiB`);
  });

  it('GAT_MAX_MODEL_BYTES lowers or raises the limit; a malformed value is a usage error', async () => {
    const tiny = path.join(PTH, 'tiny_state_dict_f32.pth');
    const low = await runGat(['inspect', '--model', tiny], { env: { GAT_MAX_MODEL_BYTES: '100' } });
    assert.equal(low.code, 2);
    assert.match(low.stderr, /^gat inspect: error: \S+tiny_state_dict_f32\.pth: reading it would take \d+ bytes for its tensors as float32, more than the 100 bytes a model file may take/);
    const ok = await runGat(['inspect', '--model', tiny], { env: { GAT_MAX_MODEL_BYTES: '1000000' } });
    assert.equal(ok.code, 0, ok.stderr);
    const bad = await runGat(['inspect', '--model', tiny], { env: { GAT_MAX_MODEL_BYTES: '1e9' } });
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, `gat inspect: error: GAT_MAX_MODEL_BYTES is '1e9': set it to a number of bytes (digits only, e.g. ${2 * MAX_MODEL_BYTES}), or unset it for the default of ${MAX_MODEL_BYTES}\n`);
  });
});
