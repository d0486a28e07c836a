/** networkx node-link JSON (src/gat/data/nodeLink.ts parseNodeLink), PPI's `*_graph.json`. */
import * as fc from 'fast-check';
import { DatasetError } from '../../../src/gat/data/datasetError';
import { parseNodeLink } from '../../../src/gat/data/nodeLink';
import { makePpi } from '../../helpers/ppiFixture';
import { lazy, mutatedSeeds } from '../mutate';
import { FUZZ_FILE, require, type FuzzTarget } from '../target';

export const nodeLinkSeeds = lazy((): Uint8Array[] => {
  const ppi = makePpi({ graphs: { train: 1, valid: 1, test: 1 }, minNodes: 3, maxNodes: 6, features: 2, labels: 2 });
  const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
  return [
    ppi.files.get('train_graph.json')!,
    ppi.files.get('test_graph.json')!,
    enc({ directed: false, multigraph: false, graph: {}, nodes: [{ id: 1 }, { id: 0 }], edges: [{ source: 0, target: 1 }] }),
    enc({ nodes: [], links: [] }),
  ];
});

const ID = fc.oneof(fc.integer({ min: -1, max: 8 }), fc.constantFrom<unknown>(0.5, '1', null, true, [0], { id: 0 }, 2 ** 31, 2 ** 53, 1e308, -0));

/** A deeply nested list, as a value an error message might print. */
const deep = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constantFrom(20_000, 100_000)).map((depth) => `${'['.repeat(depth)}1${']'.repeat(depth)}`);

const generated: fc.Arbitrary<Uint8Array> = fc
  .record({
    directed: fc.constantFrom('false', 'true', '0', '"no"', null),
    multigraph: fc.constantFrom('false', 'true', 'null', null),
    nodes: fc.oneof(fc.array(fc.oneof(ID.map((id) => JSON.stringify({ id })), fc.constantFrom('{}', '1', 'null', '{"id":0,"val":true}', '{"__proto__":{"id":0}}')), { maxLength: 8 }).map((n) => `[${n.join(',')}]`), fc.constantFrom('{}', 'null', '"x"')),
    linkKey: fc.constantFrom('links', 'links', 'edges', 'link', '__proto__'),
    links: fc.oneof(fc.array(fc.oneof(fc.tuple(ID, ID).map(([s, t]) => JSON.stringify({ source: s, target: t })), fc.constantFrom('{}', '[0,1]', '{"source":0}', 'null')), { maxLength: 8 }).map((l) => `[${l.join(',')}]`), fc.constantFrom('{}', '0')),
    deepAt: fc.option(fc.constantFrom('id', 'source', 'directed'), { freq: 6 }),
    deepValue: deep,
  })
  .map(({ directed, multigraph, nodes, linkKey, links, deepAt, deepValue }) => {
    let n = nodes;
    let l = links;
    let d: string | null = directed;
    if (deepAt === 'id') n = `[{"id":${deepValue}}]`;
    if (deepAt === 'source') l = `[{"source":${deepValue},"target":0}]`;
    if (deepAt === 'directed') d = deepValue;
    const fields = [d === null ? null : `"directed":${d}`, multigraph === null ? null : `"multigraph":${multigraph}`, `"nodes":${n}`, `"${linkKey}":${l}`].filter((x) => x !== null);
    return new TextEncoder().encode(`{${fields.join(',')}}`);
  });

export const nodeLinkTarget: FuzzTarget = {
  name: 'nodeLink',
  description: 'parseNodeLink (src/gat/data/nodeLink.ts): networkx node-link JSON',
  run(input) {
    const g = parseNodeLink(new TextDecoder().decode(input), FUZZ_FILE);
    require(Number.isSafeInteger(g.numNodes) && g.numNodes >= 0 && g.source.length === g.target.length, 'counts');
    for (let i = 0; i < g.source.length; i++) require(g.source[i] >= 0 && g.source[i] < g.numNodes && g.target[i] >= 0 && g.target[i] < g.numNodes, `link ${i} outside the nodes`);
  },
  isOwnError: (e) => e instanceof DatasetError,
  seeds: nodeLinkSeeds,
  generate: fc.oneof({ arbitrary: generated, weight: 3 }, { arbitrary: mutatedSeeds(nodeLinkSeeds), weight: 2 }),
};
