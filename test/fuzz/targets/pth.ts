/**
 * PyTorch .pth files (src/gat/import: readPth, then gatFromPth), as `gat analyze --model X.pth`
 * reads them. Seeds are the files real PyTorch wrote (test/fixtures/pth); generated inputs are
 * those archives with data.pkl replaced by generated opcode programs (torch globals, persistent
 * ids and hostile globals mixed in), storages cut or grown, and entries dropped; and state_dicts of
 * views over shared storages, read within a 1 MiB budget that an accepted file must keep.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { unzipSync, zipSync } from 'fflate';
import { gatFromPth } from '../../../src/gat/import/gatFromPth';
import { isPthTensor, PthError, readPth, type PthValue } from '../../../src/gat/import/pthArchive';
import { repoRoot } from '../../helpers/paths';
import { Program } from '../../helpers/pickleWriter';
import { handMadeZip, type ZipRecord } from '../../helpers/zipBomb';
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

/** What reading may allocate in the fuzzer: the Cora seed needs 369 KB; big enough views go over it. */
export const FUZZ_MODEL_BYTES = 1 << 20;

interface View {
  storage: number;
  offset: number;
  shape: number[];
  stride: number[];
}

const DIMS = [0, 1, 2, 7, 64, 256, 512, 1024, 4096];

/** A state_dict of strided views over a few storages (each named once or many times), as torch.save writes it. */
function viewsPickle(storages: ReadonlyArray<{ dtype: 'FloatStorage' | 'HalfStorage' | 'DoubleStorage'; numel: number }>, views: readonly View[]): Uint8Array {
  const p = new Program().op(0x80).raw([2]);
  p.global('collections', 'OrderedDict').op(0x29).op(0x52).mark();
  views.forEach((v, i) => {
    const s = storages[v.storage % storages.length];
    p.str(`gat_net.${i}.bias`).global('torch._utils', '_rebuild_tensor_v2').mark();
    p.mark().str('storage').global('torch', s.dtype).str(String(v.storage % storages.length)).str('cpu').int(s.numel).op(0x74).op(0x51);
    p.int(v.offset).tuple(v.shape).tuple(v.stride).op(0x89).global('collections', 'OrderedDict').op(0x29).op(0x52).op(0x74).op(0x52);
  });
  return p.op(0x75).op(0x2e).finish();
}

/**
 * Views over shared storages: several tensors cutting (often overlapping) views from one storage
 * of up to 1 MiB, stored or deflated, sometimes with the directory pointing every storage entry at
 * one record (one deflate stream under several names).
 */
const sharedViews: fc.Arbitrary<Uint8Array> = fc
  .record({
    storages: fc.array(fc.record({ dtype: fc.constantFrom('FloatStorage' as const, 'HalfStorage' as const, 'DoubleStorage' as const), numel: fc.constantFrom(1, 64, 4096, 65536, 1 << 18) }), { minLength: 1, maxLength: 3 }),
    views: fc.array(fc.record({ storage: fc.nat({ max: 2 }), offset: fc.constantFrom(0, 0, 1, 63, 4095, 1 << 18), shape: fc.array(fc.constantFrom(...DIMS), { minLength: 1, maxLength: 3 }), stride: fc.array(fc.constantFrom(0, 1, 1, 64, 4096), { minLength: 3, maxLength: 3 }) }), { minLength: 1, maxLength: 6 }),
    deflate: fc.boolean(),
    oneStream: fc.boolean(),
  })
  .map(({ storages, views, deflate, oneStream }) => {
    const width = { FloatStorage: 4, HalfStorage: 2, DoubleStorage: 8 } as const;
    const fixed = views.map((v) => ({ ...v, stride: v.stride.slice(0, v.shape.length) }));
    const records: ZipRecord[] = [{ name: 'archive/data.pkl', content: viewsPickle(storages, fixed) }, ...storages.map((s, i) => ({ name: `archive/data/${i}`, content: new Uint8Array(s.numel * width[s.dtype]), deflate }))];
    const directory = oneStream ? records.map((r, i) => ({ name: r.name, record: Math.min(i, 1) })) : undefined;
    return handMadeZip(records, directory);
  });

/** Float32 bytes of every tensor in what readPth returned, each once. */
function tensorBytes(value: PthValue, seen = new Set<object>()): number {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array || seen.has(value)) return 0;
  seen.add(value);
  if (isPthTensor(value)) return 4 * value.data.length;
  const items = value instanceof Map ? [...value.keys(), ...value.values()] : Array.isArray(value) ? value : [];
  return items.reduce((n: number, x) => n + tensorBytes(x, seen), 0);
}

export const pthTarget: FuzzTarget = {
  name: 'pth',
  description: 'readPth and gatFromPth (src/gat/import): PyTorch .pth archives, as gat analyze --model reads them',
  run(input) {
    const value = readPth(input, FUZZ_FILE, { maxBytes: FUZZ_MODEL_BYTES });
    require(tensorBytes(value) <= FUZZ_MODEL_BYTES, `accepted ${tensorBytes(value)} bytes of tensors, over the ${FUZZ_MODEL_BYTES}-byte budget`);
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
  generate: fc.oneof({ arbitrary: mutatedSeeds(pthSeeds), weight: 2 }, { arbitrary: editedArchive, weight: 3 }, { arbitrary: sharedViews, weight: 2 }),
};
