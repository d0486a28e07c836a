/**
 * The node-link reader as it was before it streamed (JSON.parse of the whole text, then the checks),
 * kept only as the reference the streaming reader (src/gat/data/nodeLink.ts) is compared with.
 */
import { describeJsonValue, parseJson } from '../../src/gat/io/jsonText';
import { DatasetError } from '../../src/gat/data/datasetError';

interface ReferenceGraph {
  /** Node ids are exactly 0..numNodes-1 (listed in any order, each once). */
  readonly numNodes: number;
  /** The links in file order (self-loops and repeats included). */
  readonly source: Int32Array;
  readonly target: Int32Array;
}

export function parseNodeLinkWhole(text: string, file: string): ReferenceGraph {
  const fail = (message: string): DatasetError => new DatasetError('corrupt', `${file} is not a usable node-link graph: ${message}`, file);
  let doc: unknown;
  try {
    doc = parseJson(text);
  } catch (err) {
    throw fail(`invalid JSON at ${(err as Error).message}`);
  }
  if (!isObject(doc)) throw fail('the top level is not a JSON object');
  for (const flag of ['directed', 'multigraph'] as const) {
    if (flag in doc && typeof doc[flag] !== 'boolean') throw fail(`'${flag}' must be true or false`);
  }
  if (doc.multigraph === true) throw fail("'multigraph' is true: multigraphs (parallel edges with keys) are not supported");
  if (doc.directed === true) throw fail("'directed' is true: only undirected graphs are supported (every link is used in both directions)");
  const nodes = doc.nodes;
  if (!Array.isArray(nodes)) throw fail("missing 'nodes' list");
  // networkx 3.4+ can write 'edges' instead of 'links'.
  const linkKey = 'links' in doc ? 'links' : 'edges' in doc ? 'edges' : undefined;
  const links = linkKey ? doc[linkKey] : undefined;
  if (!linkKey || !Array.isArray(links)) throw fail("missing 'links' list");

  const numNodes = nodes.length;
  const seen = new Uint8Array(numNodes);
  for (let i = 0; i < numNodes; i++) {
    const node: unknown = nodes[i];
    if (!isObject(node) || !('id' in node)) throw fail(`nodes[${i}] has no 'id'`);
    const id = node.id;
    if (!isIndex(id, numNodes)) throw fail(`nodes[${i}].id is ${describeJsonValue(id)}: node ids must be the integers 0..${numNodes - 1}`);
    if (seen[id]) throw fail(`nodes[${i}].id ${id} is a duplicate (listed earlier too)`);
    seen[id] = 1;
  }

  const source = new Int32Array(links.length);
  const target = new Int32Array(links.length);
  for (let i = 0; i < links.length; i++) {
    const link: unknown = links[i];
    if (!isObject(link)) throw fail(`${linkKey}[${i}] is not an object`);
    for (const end of ['source', 'target'] as const) {
      const v = link[end];
      if (v === undefined) throw fail(`${linkKey}[${i}] has no '${end}'`);
      if (!isIndex(v, numNodes)) throw fail(`${linkKey}[${i}].${end} is ${describeJsonValue(v)}, not a node id (0..${numNodes - 1})`);
      (end === 'source' ? source : target)[i] = v;
    }
  }
  return { numNodes, source, target };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIndex(v: unknown, n: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < n;
}
