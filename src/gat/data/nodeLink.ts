/**
 * networkx node-link JSON (`nx.node_link_data`), the graph format of PPI's `*_graph.json`:
 * `{"directed": false, "multigraph": false, "nodes": [{"id": 0}, …], "links": [{"source": 0, "target": 5}, …]}`.
 *
 * Read as a stream of bytes (jsonBytes.ts): only node ids and link ends are kept, 4 bytes each, so
 * a graph costs memory for its links, never for its text (JSON.parse of a 300 MB file took 2.1 GB).
 * What is accepted, and each refusal's words, are those of parsing the whole document and then
 * checking it: a syntax error anywhere is reported first; then the flags, the lists, the nodes and
 * the links, each at its first fault.
 */
import { CLOSE_ARRAY, CLOSE_OBJECT, describeValue, JsonBytes, OPEN_ARRAY, OPEN_OBJECT, type JsonValue } from '../io/jsonBytes';
import { DatasetError } from './datasetError';

export interface NodeLinkGraph {
  /** Node ids are exactly 0..numNodes-1 (listed in any order, each once). */
  readonly numNodes: number;
  /** The links in file order (self-loops and repeats included). */
  readonly source: Int32Array;
  readonly target: Int32Array;
}

/** A whole node-link document's text (the fuzz target's entry; files are streamed with parseNodeLinkChunks). */
export function parseNodeLink(text: string, file: string): NodeLinkGraph {
  const bytes = Buffer.from(text, 'utf8');
  let rest: Uint8Array | null = bytes;
  const more = (): Uint8Array | null => {
    const chunk = rest;
    rest = null;
    return chunk;
  };
  return parseNodeLinkChunks(more, file, bytes.length);
}

/** The fewest bytes a link takes, `{"source":0,"target":0},`: a file's size bounds how many links it can list. */
const MIN_LINK_BYTES = 24;

/**
 * A node-link document read chunk by chunk from `more` (null at the end); `file` names it in errors.
 * `sizeHint`, the file's size, lets the link lists be allocated once at their largest possible length.
 */
export function parseNodeLinkChunks(more: () => Uint8Array | null, file: string, sizeHint = 0): NodeLinkGraph {
  const linkCapacity = Math.min(Math.ceil(sizeHint / MIN_LINK_BYTES), 1 << 28);
  const fail = (message: string): DatasetError => new DatasetError('corrupt', `${file} is not a usable node-link graph: ${message}`, file);
  const json = new JsonBytes(more, fail);
  json.skipWhitespace();
  if (json.peek() !== OPEN_OBJECT) {
    json.value();
    json.end();
    throw fail('the top level is not a JSON object');
  }
  // Repeated keys: the last one counts, as in JSON.parse.
  const flags = new Map<string, JsonValue>();
  const lists = new Map<string, NodeList | LinkList | JsonValue>();
  if (!json.open()) {
    do {
      const key = json.key();
      json.skipWhitespace();
      const isArray = json.peek() === OPEN_ARRAY;
      if (key === 'directed' || key === 'multigraph') flags.set(key, json.value());
      else if (key === 'nodes') lists.set(key, isArray ? readNodes(json) : json.value());
      else if (key === 'links' || key === 'edges') lists.set(key, isArray ? readLinks(json, linkCapacity) : json.value());
      else json.value();
    } while (json.separatorOrClose(CLOSE_OBJECT));
  }
  json.end();

  for (const flag of ['directed', 'multigraph'] as const) {
    const v = flags.get(flag);
    if (v && !(v.kind === 'literal' && typeof v.value === 'boolean')) throw fail(`'${flag}' must be true or false`);
  }
  const isTrue = (flag: string): boolean => {
    const v = flags.get(flag);
    return v?.kind === 'literal' && v.value === true;
  };
  if (isTrue('multigraph')) throw fail("'multigraph' is true: multigraphs (parallel edges with keys) are not supported");
  if (isTrue('directed')) throw fail("'directed' is true: only undirected graphs are supported (every link is used in both directions)");
  const nodes = lists.get('nodes');
  if (!(nodes instanceof NodeList)) throw fail("missing 'nodes' list");
  // networkx 3.4+ can write 'edges' instead of 'links'.
  const linkKey = lists.has('links') ? 'links' : lists.has('edges') ? 'edges' : undefined;
  const links = linkKey ? lists.get(linkKey) : undefined;
  if (!linkKey || !(links instanceof LinkList)) throw fail("missing 'links' list");
  const numNodes = nodes.check(fail);
  return { numNodes, ...links.check(numNodes, linkKey, fail) };
}

/** A growable Int32Array. */
class Int32List {
  data: Int32Array;
  length = 0;

  constructor(capacity = 0) {
    this.data = new Int32Array(Math.max(1024, capacity));
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(2 * this.data.length);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }

  /** The values; a view (no second copy) when they fill most of the array, as they do when it was sized from the file. */
  trimmed(): Int32Array {
    return this.length >= 0.75 * this.data.length ? this.data.subarray(0, this.length) : this.data.slice(0, this.length);
  }
}

/** A value that can be a node id (n unknown yet): a non-negative int32 kept as it is; anything else is -1. */
function asId(v: JsonValue | undefined): number {
  return v?.kind === 'number' && Number.isInteger(v.value) && v.value >= 0 && v.value <= 0x7fffffff ? v.value : -1;
}

/** The node ids in list order; the first entry that cannot be an id is kept whole for its message. */
class NodeList {
  readonly ids = new Int32List();
  /** The first entry that is not an object with an int32 'id'. */
  firstOdd: { readonly index: number; readonly id: JsonValue | undefined } | undefined;

  add(id: JsonValue | undefined): void {
    const v = asId(id);
    if (v < 0 && !this.firstOdd) this.firstOdd = { index: this.ids.length, id };
    this.ids.push(v);
  }

  /** Every id is one of 0..n-1, each once (n the list's length): returns n. */
  check(fail: (message: string) => DatasetError): number {
    const n = this.ids.length;
    const ids = this.ids.data;
    const seen = new Uint8Array(n);
    const notAnId = (i: number, shown: string): DatasetError => fail(`nodes[${i}].id is ${shown}: node ids must be the integers 0..${n - 1}`);
    for (let i = 0; i < n; i++) {
      if (i === this.firstOdd?.index) throw this.firstOdd.id === undefined ? fail(`nodes[${i}] has no 'id'`) : notAnId(i, describeValue(this.firstOdd.id));
      if (ids[i] >= n) throw notAnId(i, String(ids[i]));
      if (seen[ids[i]]) throw fail(`nodes[${i}].id ${ids[i]} is a duplicate (listed earlier too)`);
      seen[ids[i]] = 1;
    }
    return n;
  }
}

/** The link ends in list order; the first link that is not an object with int32 ends is kept whole for its message. */
class LinkList {
  readonly source: Int32List;
  readonly target: Int32List;
  firstOdd: { readonly index: number; readonly isObject: boolean; readonly source?: JsonValue; readonly target?: JsonValue } | undefined;

  constructor(capacity: number) {
    this.source = new Int32List(capacity);
    this.target = new Int32List(capacity);
  }

  add(isObject: boolean, source?: JsonValue, target?: JsonValue): void {
    const s = isObject ? asId(source) : -1;
    const t = isObject ? asId(target) : -1;
    if ((s < 0 || t < 0) && !this.firstOdd) this.firstOdd = { index: this.source.length, isObject, source, target };
    this.source.push(s);
    this.target.push(t);
  }

  /** Every end is a node id (0..n-1); the first fault, in list order and source before target, is reported. */
  check(n: number, key: string, fail: (message: string) => DatasetError): { source: Int32Array; target: Int32Array } {
    const end = (i: number, name: 'source' | 'target', v: JsonValue | undefined, asNumber: number): void => {
      if (v === undefined) throw fail(`${key}[${i}] has no '${name}'`);
      if (asNumber < 0 || asNumber >= n) throw fail(`${key}[${i}].${name} is ${describeValue(v)}, not a node id (0..${n - 1})`);
    };
    const s = this.source.data;
    const t = this.target.data;
    for (let i = 0; i < this.source.length; i++) {
      const odd = this.firstOdd?.index === i ? this.firstOdd : undefined;
      if (odd) {
        if (!odd.isObject) throw fail(`${key}[${i}] is not an object`);
        end(i, 'source', odd.source, asId(odd.source));
        end(i, 'target', odd.target, asId(odd.target));
      }
      if (s[i] >= n) throw fail(`${key}[${i}].source is ${s[i]}, not a node id (0..${n - 1})`);
      if (t[i] >= n) throw fail(`${key}[${i}].target is ${t[i]}, not a node id (0..${n - 1})`);
    }
    return { source: this.source.trimmed(), target: this.target.trimmed() };
  }
}

const ID_KEY = ['id'];
const LINK_KEYS = ['source', 'target'];

/**
 * At '[': each entry of an array of objects, with the last value of each of `keys` in it (undefined
 * where absent); an entry that is not an object is reported as undefined.
 */
function forEachEntry(json: JsonBytes, keys: readonly string[], onEntry: (values: Array<JsonValue | undefined> | undefined) => void): void {
  if (json.open()) return;
  do {
    json.skipWhitespace();
    if (json.peek() !== OPEN_OBJECT) {
      json.value();
      onEntry(undefined);
      continue;
    }
    const values: Array<JsonValue | undefined> = keys.map(() => undefined);
    if (!json.open()) {
      do {
        const key = json.keyOf(keys);
        if (key >= 0) values[key] = json.value();
        else json.value();
      } while (json.separatorOrClose(CLOSE_OBJECT));
    }
    onEntry(values);
  } while (json.separatorOrClose(CLOSE_ARRAY));
}

/** At '[': every entry of 'nodes', keeping each object's last 'id'. */
function readNodes(json: JsonBytes): NodeList {
  const nodes = new NodeList();
  forEachEntry(json, ID_KEY, (values) => nodes.add(values?.[0]));
  return nodes;
}

/** At '[': every entry of 'links' (or 'edges'), keeping each object's last 'source' and 'target'. */
function readLinks(json: JsonBytes, capacity: number): LinkList {
  const links = new LinkList(capacity);
  forEachEntry(json, LINK_KEYS, (values) => (values ? links.add(true, values[0], values[1]) : links.add(false)));
  return links;
}
