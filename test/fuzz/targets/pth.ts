/**
 * PyTorch .pth files (src/gat/import: readPth, then gatFromPth), as `gat analyze --model X.pth`
 * reads them. Seeds are the files real PyTorch wrote (test/fixtures/pth); generated inputs are
 * those archives with data.pkl replaced by generated opcode programs (torch globals, persistent
 * ids and hostile globals mixed in), storages cut or grown, and entries dropped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { unzipSync, zipSync } from 'fflate';
import { gatFromPth } from '../../../src/gat/import/gatFromPth';
import { isPthTensor, PthError, readPth } from '../../../src/gat/import/pthArchive';
import { repoRoot } from '../../helpers/paths';
import { Program } from '../../helpers/pickleWriter';
import { lazy, mutatedSeeds } from '../mutate';
import { FUZZ_FILE, require, type FuzzTarget } from '../target';

/** The globals the torch profile allows, written out independently of the reader's own table. */
const ALLOWED = new Set(['collections OrderedDict', 'torch._utils _rebuild_tensor_v2', 'torch FloatStorage', 'torch DoubleStorage', 'torch HalfStorage']);
const GLOBALS: ReadonlyArray<readonly [string, string]> = [
  ...[...ALLOWED].map((k) => k.split(' ') as [string, string]),
  ['torch', 'LongStorage'], ['torch', 'BFloat16Storage'], ['torch._utils', '_rebuild_parameter'], ['os', 'system'], ['posix', 'system'], ['builtins', 'eval'], ['numpy', 'ndarray'], ['collections', 'defaultdict'],
];

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'pth');
export const pthSeeds = lazy((): Uint8Array[] => readdirSync(fixtures).filter((f) => f.endsWith('.pth')).map((f) => new Uint8Array(readFileSync(path.join(fixtures, f)))));

/** A pickle program of torch-ish steps: storages named by persistent ids, tensors rebuilt from them, dicts of them. */
const step: fc.Arbitrary<(p: Program) => void> = fc.oneof(
  fc.constantFrom(0x28, 0x4e, 0x88, 0x29, 0x5d, 0x7d, 0x85, 0x86, 0x87, 0x74, 0x73, 0x75, 0x94, 0x52, 0x62, 0x51, 0x2e).map((code) => (p: Program) => void p.op(code)),
  fc.integer({ min: -2, max: 300 }).map((v) => (p: Program) => void p.int(v)),
  fc.constantFrom(...GLOBALS).map(([m, n]) => (p: Program) => void p.global(m, n)),
  fc.constantFrom('storage', '0', '1', 'cpu', 'gat_net.0.bias', 'state_dict', 'x/../y').map((s) => (p: Program) => void p.str(new TextEncoder().encode(s))),
  fc.tuple(fc.constantFrom(0x71, 0x68), fc.integer({ min: 0, max: 6 })).map(([code, i]) => (p: Program) => void p.op(code).raw([i])),
);

const program: fc.Arbitrary<Uint8Array> = fc.array(step, { minLength: 1, maxLength: 50 }).map((steps) => {
  const p = new Program().op(0x80).raw([2]);
  for (const s of steps) s(p);
  return p.op(0x2e).finish();
});

type Edit = { kind: 'pickle'; bytes: Uint8Array } | { kind: 'cut'; pick: number; keep: number } | { kind: 'grow'; pick: number; by: number } | { kind: 'drop'; pick: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  program.map((bytes) => ({ kind: 'pickle' as const, bytes })),
  fc.record({ kind: fc.constant('cut' as const), pick: fc.nat(), keep: fc.nat({ max: 64 }) }),
  fc.record({ kind: fc.constant('grow' as const), pick: fc.nat(), by: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
);

const editedArchive: fc.Arbitrary<Uint8Array> = fc.record({ seed: fc.nat(), edits: fc.array(edit, { minLength: 1, maxLength: 3 }) }).map(({ seed, edits }) => {
  const seeds = pthSeeds();
  const files = unzipSync(seeds[seed % seeds.length]);
  const names = Object.keys(files);
  for (const e of edits) {
    if (e.kind === 'pickle') {
      const pkl = names.find((n) => n.endsWith('/data.pkl'));
      if (pkl) files[pkl] = new Uint8Array(e.bytes);
      continue;
    }
    const name = names[e.pick % names.length];
    if (!files[name]) continue;
    if (e.kind === 'cut') files[name] = files[name].slice(0, Math.min(e.keep, files[name].length));
    else if (e.kind === 'grow') files[name] = new Uint8Array([...files[name], ...new Uint8Array(e.by)]);
    else delete files[name];
  }
  return zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, [v, { level: 0 }]])));
});

export const pthTarget: FuzzTarget = {
  name: 'pth',
  description: 'readPth and gatFromPth (src/gat/import): PyTorch .pth archives, as gat analyze --model reads them',
  run(input) {
    const value = readPth(input, FUZZ_FILE);
    const model = gatFromPth(value, FUZZ_FILE);
    for (const p of model.params) {
      require(p.data.length === p.shape.reduce((a, b) => a * b, 1), `tensor '${p.name}' has ${p.data.length} values for shape [${p.shape.join(', ')}]`);
      require(p.data instanceof Float32Array, `tensor '${p.name}' is not float32`);
    }
    require(model.heads.length === model.hidden.length + 1, 'heads and hidden disagree');
    require(value instanceof Map && [...(value.get('state_dict') instanceof Map ? (value.get('state_dict') as Map<unknown, unknown>) : value).values()].every((v) => isPthTensor(v as never)), 'a state_dict entry is not a tensor');
  },
  isOwnError: (e) => e instanceof PthError,
  seeds: pthSeeds,
  generate: fc.oneof({ arbitrary: mutatedSeeds(pthSeeds), weight: 2 }, { arbitrary: editedArchive, weight: 3 }),
};
