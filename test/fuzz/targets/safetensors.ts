/**
 * safetensors and the artifacts built on it: every input goes through the three pure decoders the
 * readers call after reading a file (decodeCheckpoint for --resume, decodeModelBinary for --model,
 * decodeAnalysis for the panels), each of which decodes the container first (decodeSafetensorsFile).
 * Seeds are encodings made by the product's own writers for a tiny model and graph.
 */
import * as fc from 'fast-check';
import { computeAnalysis, decodeAnalysis, encodeAnalysis, type Analysis } from '../../../src/gat/artifacts/analysis';
import { ArtifactReadError } from '../../../src/gat/artifacts/artifactRead';
import { decodeCheckpoint, decodeModelBinary, encodeCheckpoint, encodeModelBinary } from '../../../src/gat/artifacts/checkpoint';
import type { NamedTensor } from '../../../src/gat/artifacts/namedTensor';
import { provenanceMetadata, type Provenance } from '../../../src/gat/artifacts/provenance';
import { decodeSafetensors, encodeSafetensors } from '../../../src/gat/artifacts/safetensors';
import { tinyGraph } from '../../helpers/tinyGraph';
import { lazy, mutatedSeeds } from '../mutate';
import { FUZZ_FILE, require, type FuzzTarget } from '../target';

const PROVENANCE: Provenance = {
  dataset: 'tiny',
  datasetChecksums: { x: 'abc' },
  config: { heads: [2, 1], lr: 0.005 },
  seed: 3,
  compute: null,
  backend: 'cpu',
  versions: { node: 'v20.0.0', tfjs: null, 'gat-explorer': '0.1.0' },
  gitCommit: null,
  startedAt: '2026-11-25T01:02:03.000Z',
  endedAt: null,
  epoch: 9,
  metrics: null,
};

/** Parameters shaped like a tiny two-layer GAT (pytorch-GAT's names), with a deterministic fill. */
function tinyParams(features: number, hidden: number, heads: number, classes: number): NamedTensor[] {
  const shapes: Array<[string, number[]]> = [
    ['gat_net.0.linear_proj.weight', [heads * hidden, features]],
    ['gat_net.0.scoring_fn_target', [1, heads, hidden]],
    ['gat_net.0.scoring_fn_source', [1, heads, hidden]],
    ['gat_net.0.bias', [heads * hidden]],
    ['gat_net.1.linear_proj.weight', [classes, heads * hidden]],
    ['gat_net.1.scoring_fn_target', [1, 1, classes]],
    ['gat_net.1.scoring_fn_source', [1, 1, classes]],
    ['gat_net.1.bias', [classes]],
  ];
  let s = 12345;
  return shapes.map(([name, shape]) => ({
    name,
    shape,
    data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.1),
  }));
}

/** A tiny analysis made by computeAnalysis (attention softmaxed over each node's incoming edges, self-loops added). */
function tinyAnalysis(nodes: number, classes: number, heads: readonly number[]): Analysis {
  const g = tinyGraph({ nodes, classes, features: 6, seed: nodes });
  const edgeSource = Int32Array.from([...g.edgeSource, ...Array.from({ length: nodes }, (_, i) => i)]);
  const edgeTarget = Int32Array.from([...g.edgeTarget, ...Array.from({ length: nodes }, (_, i) => i)]);
  const indegree = new Int32Array(nodes);
  for (const t of edgeTarget) indegree[t]++;
  const attention = heads.map((h) => Float32Array.from({ length: edgeTarget.length * h }, (_, k) => 1 / indegree[edgeTarget[Math.floor(k / h)]]));
  return computeAnalysis({
    logits: Float32Array.from({ length: nodes * classes }, (_, i) => Math.sin(i)),
    edgeSource,
    edgeTarget,
    attention,
    heads,
    labels: g.labels,
    split: g.split,
    classNames: g.classNames,
    provenance: PROVENANCE,
  });
}

export const safetensorsSeeds = lazy((): Uint8Array[] => {
  const params = tinyParams(6, 2, 2, 3);
  const metadata = { ...provenanceMetadata(PROVENANCE), loopState: JSON.stringify({ bestValAcc: 0.5, bestValLoss: null, bestEpoch: 3, sinceImprovement: 1 }) };
  const optimizer = [...params.map((p) => ({ ...p, name: `adam.m.${p.name}` })), ...params.map((p) => ({ ...p, name: `adam.v.${p.name}` })), { name: 'rng.state', shape: [2], data: Int32Array.of(3, 9) }];
  return [
    encodeCheckpoint({ params, optimizer: { step: 9, tensors: optimizer }, epoch: 9, metadata }),
    encodeModelBinary(params, provenanceMetadata(PROVENANCE)),
    encodeAnalysis(tinyAnalysis(5, 3, [2, 1])),
    encodeAnalysis(tinyAnalysis(3, 2, [1])),
    encodeAnalysis(tinyAnalysis(5, 3, [2, 1]), { precision: 'float16' }), // a training snapshot
    encodeSafetensors([{ name: 'w', shape: [0], data: new Float32Array(0) }]),
  ];
});

/** Odd values for one header or metadata field. */
const JUNK: ReadonlyArray<unknown> = [null, true, 0, -1, 1.5, 2 ** 53, 2 ** 64, -0, '', '0', '1e3', 'F32', 'I32', 'F16', 'BOOL', [], [0], [-1], [1, 2], [2 ** 31, 2 ** 31], [0, 2 ** 53], {}, { a: 1 }, '__proto__'];
const junk = fc.oneof(fc.constantFrom(...JUNK), fc.integer(), fc.double(), fc.string({ maxLength: 8 }), fc.array(fc.integer({ min: -2, max: 40 }), { maxLength: 4 }));

/** A container around any header: the length prefix (maybe lying), the JSON, then data bytes. */
function container(header: string, data: Uint8Array, lengthDelta: number): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(Math.max(0, json.length + lengthDelta)), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** Raw headers: entries with valid and invalid dtypes, shapes and offsets, and metadata of any type. */
const rawHeader: fc.Arbitrary<Uint8Array> = fc
  .record({
    entries: fc.array(
      fc.record({
        name: fc.oneof(fc.constantFrom('w', 'outputs', 'predictions', 'edge_index', 'optimizer.rng.state', '__metadata__', '__proto__', 'constructor', ''), fc.string({ maxLength: 6 })),
        dtype: fc.oneof(fc.constantFrom('F32', 'I32', 'F16'), junk),
        shape: fc.oneof(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }), junk),
        length: fc.integer({ min: 0, max: 6 }),
        offsetJunk: fc.option(junk, { freq: 4 }),
      }),
      { maxLength: 5 },
    ),
    metadata: fc.option(fc.oneof(fc.dictionary(fc.oneof(fc.constantFrom('kind', 'epoch', 'optimizerStep', 'heads', 'classNames', 'config', 'loopState', '__proto__'), fc.string({ maxLength: 4 })), fc.oneof(fc.constantFrom('checkpoint', 'model', 'analysis', '1', '[2]', '["a"]', '{}', 'null', '{"bestValAcc":"x"}'), junk)), junk)),
    extraData: fc.integer({ min: -8, max: 8 }),
    lengthDelta: fc.oneof(fc.constant(0), fc.integer({ min: -4, max: 4 }), fc.constant(2 ** 40)),
  })
  .map(({ entries, metadata, extraData, lengthDelta }) => {
    const parts: string[] = [];
    if (metadata !== null) parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
    let offset = 0;
    for (const e of entries) {
      const count = Array.isArray(e.shape) && e.shape.every((d) => typeof d === 'number') ? (e.shape as number[]).reduce((a, b) => a * b, 1) : e.length;
      const width = e.dtype === 'F16' ? 2 : 4;
      const bytes = Number.isSafeInteger(count) && count >= 0 && count < 64 ? count * width : e.length * width;
      const offsets = e.offsetJunk ?? [offset, offset + bytes];
      offset += bytes;
      parts.push(`${JSON.stringify(e.name)}:{"dtype":${JSON.stringify(e.dtype)},"shape":${JSON.stringify(e.shape)},"data_offsets":${JSON.stringify(offsets)}}`);
    }
    return container(`{${parts.join(',')}}`, new Uint8Array(Math.max(0, offset + extraData)), lengthDelta);
  });

type Edit =
  | { kind: 'drop'; pick: number }
  | { kind: 'reshape'; pick: number; shape: number[] }
  | { kind: 'retype'; pick: number }
  | { kind: 'value'; pick: number; at: number; value: number }
  | { kind: 'meta'; key: string; value: string | null };

/** Semantic edits of a writer's file that keep the container valid: a tensor dropped, reshaped, retyped or given an odd value, a metadata field changed. */
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('reshape' as const), pick: fc.nat(), shape: fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('retype' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('value' as const), pick: fc.nat(), at: fc.nat(), value: fc.oneof(fc.constantFrom(-1, -2, 3, 7, 1e9, -(2 ** 31), NaN, Infinity), fc.integer()) }),
  fc.record({
    kind: fc.constant('meta' as const),
    key: fc.constantFrom('kind', 'analysisVersion', 'epoch', 'optimizerStep', 'heads', 'classNames', 'config', 'loopState', 'datasetChecksums', 'versions', 'seed', 'metrics'),
    value: fc.option(fc.oneof(fc.constantFrom('checkpoint', 'model', 'analysis', '1', '0', '-1', '1.5', '1e3', '[]', '[2,1]', '[0]', '[2,1,1]', '[1e9]', '["a","b","c"]', '["a"]', '[1,2,3]', '{}', 'null', '"x"', '{"bestEpoch":"x"}', '[', 'NaN'), fc.string({ maxLength: 6 }))),
  }),
);

const edited: fc.Arbitrary<Uint8Array> = fc.record({ seed: fc.nat(), edits: fc.array(edit, { minLength: 1, maxLength: 3 }) }).map(({ seed, edits }) => {
  const seeds = safetensorsSeeds();
  const { tensors, metadata } = decodeSafetensors(seeds[seed % seeds.length]);
  let list = [...tensors];
  const meta: Record<string, string> = { ...metadata };
  for (const e of edits) {
    if (e.kind === 'meta') {
      if (e.value === null) delete meta[e.key];
      else meta[e.key] = e.value;
      continue;
    }
    if (list.length === 0) continue;
    const i = e.pick % list.length;
    const t = list[i];
    if (e.kind === 'drop') list = list.filter((_, k) => k !== i);
    else if (e.kind === 'reshape') {
      const n = e.shape.reduce((a, b) => a * b, 1);
      const data = t.data instanceof Float32Array ? new Float32Array(n) : t.data instanceof Uint16Array ? new Uint16Array(n) : new Int32Array(n);
      data.set(t.data.subarray(0, Math.min(n, t.data.length)));
      list[i] = { ...t, shape: e.shape, data };
    } else if (e.kind === 'retype') {
      // same element count, another dtype: F32 → I32 (bit patterns), I32 → F16 (low 16 bits), F16 → F32 (bit patterns as values)
      const data = t.data instanceof Float32Array ? new Int32Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength)) : t.data instanceof Int32Array ? Uint16Array.from(t.data) : Float32Array.from(t.data);
      list[i] = { ...t, data };
    } else if (t.data.length > 0) {
      const data = t.data.slice();
      data[e.at % data.length] = e.value;
      list[i] = { ...t, data };
    }
  }
  return encodeSafetensors(list, meta);
});

function checkTensors(tensors: readonly NamedTensor[]): void {
  for (const t of tensors) require(t.data.length === t.shape.reduce((a, b) => a * b, 1), `tensor '${t.name}' has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
}

function checkAnalysis(a: Analysis): void {
  const n = a.numNodes;
  const c = a.numClasses;
  const e = a.edgeSource.length;
  require(Number.isSafeInteger(n) && n >= 1 && Number.isSafeInteger(c) && c >= 1, `nodes ${n}, classes ${c}`);
  require(a.classNames.length === c && a.classNames.every((x) => typeof x === 'string'), 'classNames');
  require(a.outputs instanceof Float32Array && a.outputs.length === n * c, 'outputs');
  for (const [name, arr] of [['predictions', a.predictions], ['labels', a.labels], ['split', a.split]] as const) require(arr instanceof Int32Array && arr.length === n, `${name} length`);
  require(a.confidence instanceof Float32Array && a.confidence.length === n && a.uniformEntropy instanceof Float32Array && a.uniformEntropy.length === n, 'per-node floats');
  require(a.edgeTarget.length === e, 'edge arrays');
  for (let k = 0; k < e; k++) require(a.edgeSource[k] >= 0 && a.edgeSource[k] < n && a.edgeTarget[k] >= 0 && a.edgeTarget[k] < n, `edge ${k} outside the nodes`);
  for (const p of a.predictions) require(p >= 0 && p < c, `prediction ${p}`);
  for (const l of a.labels) require(l >= -1 && l < c, `label ${l}`);
  for (const s of a.split) require(s >= -1 && s <= 2, `split ${s}`);
  require(a.attention.length === a.heads.length && a.entropy.length === a.heads.length, 'layers');
  a.heads.forEach((h, l) => {
    require(Number.isSafeInteger(h) && h >= 1, `heads ${h}`);
    require(a.attention[l] instanceof Float32Array && a.attention[l].length === e * h, `attention of layer ${l}`);
    require(a.entropy[l] instanceof Float32Array && a.entropy[l].length === n * h, `entropy of layer ${l}`);
  });
  const p = a.provenance;
  require(typeof p.dataset === 'string' && typeof p.backend === 'string' && typeof p.startedAt === 'string', 'provenance strings');
  require(Object.values(p.datasetChecksums).every((v) => typeof v === 'string'), 'provenance checksums');
  require(typeof p.versions.node === 'string', 'provenance versions');
}

export const safetensorsTarget: FuzzTarget = {
  name: 'safetensors',
  description: 'decodeCheckpoint, decodeModelBinary and decodeAnalysis (src/gat/artifacts), each over decodeSafetensorsFile',
  run(input) {
    const errors: ArtifactReadError[] = [];
    const attempt = (decode: () => void): void => {
      try {
        decode();
      } catch (e) {
        if (!(e instanceof ArtifactReadError)) throw e;
        require(e.message.includes(FUZZ_FILE), `an error does not name the file: ${e.message}`);
        errors.push(e);
      }
    };
    attempt(() => {
      const c = decodeCheckpoint(input, FUZZ_FILE);
      require(Number.isSafeInteger(c.epoch) && c.epoch >= 0 && Number.isSafeInteger(c.optimizer.step) && c.optimizer.step >= 0, 'epoch and step');
      require(c.params.every((t) => t.data instanceof Float32Array), 'float32 parameters');
      checkTensors([...c.params, ...c.optimizer.tensors]);
    });
    attempt(() => {
      const m = decodeModelBinary(input, FUZZ_FILE);
      require(m.params.every((t) => t.data instanceof Float32Array), 'float32 parameters');
      checkTensors(m.params);
    });
    attempt(() => checkAnalysis(decodeAnalysis(input, FUZZ_FILE)));
    if (errors.length === 3) throw errors[0];
  },
  isOwnError: (e) => e instanceof ArtifactReadError,
  seeds: safetensorsSeeds,
  generate: fc.oneof({ arbitrary: mutatedSeeds(safetensorsSeeds), weight: 2 }, { arbitrary: edited, weight: 3 }, { arbitrary: rawHeader, weight: 2 }),
};
