/**
 * The streaming node-link reader (src/gat/data/nodeLink.ts over src/gat/io/jsonBytes.ts) against the
 * reader it replaced (JSON.parse of the whole text, then the checks: test/helpers/nodeLinkReference.ts):
 * on the fuzz target's seeds, corpus and 3000 generated, mutated and arbitrary-JSON documents, both accept
 * the same graphs and refuse with the same words (a syntax error: both say where, each in its own
 * words); and the result does not depend on how the bytes are cut into chunks.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { DatasetError } from '../../src/gat/data/datasetError';
import { parseNodeLink, parseNodeLinkChunks, type NodeLinkGraph } from '../../src/gat/data/nodeLink';
import { nodeLinkTarget } from '../fuzz/targets/nodeLink';
import { parseNodeLinkWhole } from '../helpers/nodeLinkReference';
import { repoRoot } from '../helpers/paths';

const FILE = '/data/train_graph.json';

type Outcome = { readonly graph: NodeLinkGraph } | { readonly error: string };

function outcome(parse: () => NodeLinkGraph): Outcome {
  try {
    return { graph: parse() };
  } catch (err) {
    if (err instanceof DatasetError) return { error: err.message };
    throw err;
  }
}

/** `bytes` handed over in pieces of the given sizes (cycled). */
function chunked(bytes: Uint8Array, sizes: readonly number[]): () => Uint8Array | null {
  let at = 0;
  let k = 0;
  const buffer = new Uint8Array(Math.max(...sizes));
  return () => {
    if (at >= bytes.length) return null;
    const n = Math.min(sizes[k++ % sizes.length], bytes.length - at);
    buffer.set(bytes.subarray(at, at + n)); // one reused buffer, as the file reader hands them
    at += n;
    return buffer.subarray(0, n);
  };
}

function sameOutcome(input: Uint8Array, what: string): void {
  const text = new TextDecoder().decode(input);
  const before = outcome(() => parseNodeLinkWhole(text, FILE));
  const now = outcome(() => parseNodeLink(text, FILE));
  if ('graph' in before) {
    assert.ok('graph' in now, `${what}: refused (${'error' in now ? now.error : ''}) but was accepted`);
    assert.equal(now.graph.numNodes, before.graph.numNodes, what);
    assert.deepEqual(now.graph.source, before.graph.source, what);
    assert.deepEqual(now.graph.target, before.graph.target, what);
    return;
  }
  assert.ok('error' in now, `${what}: accepted but was refused: ${before.error}`);
  if (before.error.includes('invalid JSON at')) assert.match(now.error, /^\/data\/train_graph\.json is not a usable node-link graph: invalid JSON at line \d+, column \d+: /, what);
  else assert.equal(now.error, before.error, what);
}

describe('the streaming node-link reader reads as the whole-text reader did', () => {
  it('on every seed and corpus input of the nodeLink fuzz target', () => {
    for (const [i, seed] of nodeLinkTarget.seeds().entries()) sameOutcome(seed, `seed ${i}`);
    const corpus = path.join(repoRoot, 'test', 'fuzz', 'corpus', 'nodeLink');
    for (const f of existsSync(corpus) ? readdirSync(corpus).filter((f) => f.endsWith('.bin')) : []) sameOutcome(new Uint8Array(readFileSync(path.join(corpus, f))), f);
  });

  it('on 1500 generated and mutated documents', () => {
    const inputs = fc.sample(nodeLinkTarget.generate, { seed: 25, numRuns: 1500 });
    inputs.forEach((input, i) => sameOutcome(input, `sample ${i}: ${new TextDecoder().decode(input.subarray(0, 200))}`));
  });

  it('on arbitrary JSON values in the places a reader looks (fast-check json)', () => {
    const doc = fc.record({ nodes: fc.json(), links: fc.json(), extra: fc.json(), id: fc.json() }).map(({ nodes, links, extra, id }) => `{"extra":${extra},"nodes":[{"id":0},{"id":${id}}, ${nodes}],"links":${links},"directed":false}`);
    for (const [i, text] of fc.sample(doc, { seed: 7, numRuns: 1500 }).entries()) sameOutcome(new TextEncoder().encode(text), `json ${i}: ${text.slice(0, 200)}`);
  });
});

describe('parseNodeLinkChunks does not depend on the chunk boundaries', () => {
  const docs = [
    '{"directed": false, "multigraph": false, "graph": {"name": "caf\\u00e9 \u00e9t\u00e9"}, "nodes": [{"id": 1, "test": false}, {"id": 0, "val": [1, [2, {"x": null}]]}, {"id": 2}], "links": [{"source": 0, "target": 1}, {"target": 2, "source": 1}, {"source": 2, "target": 2}]}',
    '{\n  "nodes": [\n    {"id": 0},\n    {"id": 1}\n  ],\n  "links": [\n    {"source": 0, "target": 1e0},\n    {"source": 1, "target": 01}\n  ]\n}',
    '{"nodes": [{"id": 0}, {"id": 0}], "edges": []}',
    '{"nodes": [{"id": 0}], "links": [{"source": 0, "target": "\u00e9\u00e9\u00e9"}]}',
  ];
  for (const [i, doc] of docs.entries()) {
    it(`document ${i}: one chunk, single bytes, and odd sizes give the same outcome`, () => {
      const bytes = new TextEncoder().encode(doc);
      const whole = outcome(() => parseNodeLink(doc, FILE));
      for (const sizes of [[1], [2, 3], [7], [bytes.length]]) assert.deepEqual(outcome(() => parseNodeLinkChunks(chunked(bytes, sizes), FILE)), whole, `chunks of ${sizes.join(', ')}`);
    });
  }

  it('names the line and column of a syntax error, wherever the chunks end', () => {
    const bytes = new TextEncoder().encode('{\n  "nodes": [{"id": 0}],\n  "links": [{"source": 0 "target": 0}]\n}');
    for (const sizes of [[1], [5], [bytes.length]]) {
      const r = outcome(() => parseNodeLinkChunks(chunked(bytes, sizes), FILE));
      assert.deepEqual(r, { error: `${FILE} is not a usable node-link graph: invalid JSON at line 3, column 26: '"' where ',' or '}' was expected` });
    }
  });
});
