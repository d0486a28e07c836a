/**
 * Node-record addresses (src/extension/records/recordAddress.ts parseRecordAddress, which
 * parseRecordUri calls with a vscode.Uri's path and query). An input holds the path and the query
 * separated by the first 0x00 byte (no 0x00: the whole input is the path, the query is empty),
 * each decoded as UTF-8. A rejection is a RecordAddressError naming the address and the part.
 */
import * as fc from 'fast-check';
import { parseRecordAddress, RecordAddressError } from '../../../src/extension/records/recordAddress';
import { applyMutations, lazy, mutations } from '../mutate';
import { require, type FuzzTarget } from '../target';

const utf8 = new TextEncoder();

export function recordInput(path: string, query: string): Uint8Array {
  const p = utf8.encode(path);
  const q = utf8.encode(query);
  const out = new Uint8Array(p.length + 1 + q.length);
  out.set(p);
  out.set(q, p.length + 1);
  return out;
}

function split(input: Uint8Array): { path: string; query: string } {
  const zero = input.indexOf(0);
  const decode = (b: Uint8Array): string => new TextDecoder().decode(b);
  return zero < 0 ? { path: decode(input), query: '' } : { path: decode(input.subarray(0, zero)), query: decode(input.subarray(zero + 1)) };
}

export const recordUriSeeds = lazy((): Uint8Array[] => [
  recordInput('/cora/1358.md', ''),
  recordInput('/cora/0.md', 'run=2026-11-25T01-02-03Z-cora-s42'),
  recordInput('/citeseer/12', 'run=2026-11-25T01-02-03Z-citeseer-s1-ab3k'),
]);

const DATASETS = ['cora', 'Cora', 'citeseer', 'ppi', 'my_set-2', '', '.', '..', 'a.b', 'x'.repeat(64), 'x'.repeat(65), '-cora', 'cörä', 'co ra', '%2e%2e', 'cora\u0000', 'c\nora'];
const NODES = ['0', '1358', '2707', '00', '9'.repeat(15), '9'.repeat(16), '9007199254740993', '-1', '+1', '1.5', '1e3', '0x10', 'NaN', 'Infinity', ' 5', '5 ', '', '١٢', '５', '1358.md', 'abc', '%31'];
const RUNS = ['2026-11-25T01-02-03Z-cora-s42', 'r', '.', '..', '../x', 'a/b', 'a%2Fb', 'a\\b', '%00', 'x'.repeat(200), 'x'.repeat(201), '-x', 'a..b', 'a b', 'é', '%ZZ', '%', ''];

const structured: fc.Arbitrary<Uint8Array> = fc
  .record({
    dataset: fc.oneof(fc.constantFrom(...DATASETS), fc.string({ maxLength: 6 })),
    node: fc.oneof(fc.constantFrom(...NODES), fc.string({ maxLength: 6 }), fc.nat().map(String)),
    ext: fc.constantFrom('.md', '.md', '', '.MD', '.md.md', '/', '.txt'),
    prefix: fc.constantFrom('/', '/', '', '//', '/x/'),
    query: fc.oneof(
      fc.constant(''),
      fc.constantFrom(...RUNS).map((r) => `run=${r}`),
      fc.constantFrom(...RUNS).map((r) => `run=${encodeURIComponent(r)}`),
      fc.constantFrom('run=a&run=b', 'foo=1', 'run', '&&', '=x', 'run=a&x=1', 'RUN=a', 'run=a+b', '?run=a', 'run=%E0%A4%A'),
      fc.string({ maxLength: 10 }),
    ),
  })
  .map(({ dataset, node, ext, prefix, query }) => recordInput(`${prefix}${dataset}/${node}${ext}`, query));

const mutated: fc.Arbitrary<Uint8Array> = fc.record({ seed: fc.nat(), ops: mutations }).map(({ seed, ops }) => {
  const seeds = recordUriSeeds();
  return applyMutations(seeds[seed % seeds.length], ops, seeds);
});

export const recordUriTarget: FuzzTarget = {
  name: 'recordUri',
  description: 'parseRecordAddress (src/extension/records/recordAddress.ts): gat-record: addresses (path 0x00 query)',
  run(input) {
    const { path, query } = split(input);
    let r;
    try {
      r = parseRecordAddress(path, query);
    } catch (e) {
      if (e instanceof RecordAddressError) require(e.message.includes(`gat-record:${path}`) && ['address', 'dataset', 'node', 'run'].includes(e.part), `the error does not name the address and part: ${e.message}`);
      throw e;
    }
    require(/^[a-z0-9][a-z0-9_-]{0,63}$/i.test(r.dataset), `dataset '${r.dataset}'`);
    require(Number.isSafeInteger(r.node) && r.node >= 0, `node ${r.node}`);
    require(r.runId === undefined || (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(r.runId) && !r.runId.includes('..') && r.runId.length <= 200), `run '${r.runId}'`);
  },
  isOwnError: (e) => e instanceof RecordAddressError,
  files: ['gat-record:'],
  seeds: recordUriSeeds,
  generate: fc.oneof({ arbitrary: structured, weight: 3 }, { arbitrary: mutated, weight: 1 }),
};
