/**
 * The graph layout cache file (src/gat/layout/layoutCache.ts decodeLayout): undefined is its
 * rejection (the cache is then recomputed), reported here as a LayoutRejected naming the file. An
 * accepted layout must have finite coordinates, edges between existing nodes and thickness in [0, 1].
 */
import * as fc from 'fast-check';
import { LAYOUT_VERSION } from '../../../src/gat/layout/forceLayout';
import { decodeLayout, encodeLayout } from '../../../src/gat/layout/layoutCache';
import type { LayoutResult } from '../../../src/gat/layout/protocol';
import { lazy, mutatedSeeds } from '../mutate';
import { FUZZ_FILE, require, type FuzzTarget } from '../target';

const MAGIC = 0x4c544147; // 'GATL'

export class LayoutRejected extends Error {
  constructor() {
    super(`${FUZZ_FILE}: not a usable layout cache file (decodeLayout returned undefined)`);
    this.name = 'LayoutRejected';
  }
}

function layout(n: number, e: number, seed: number): LayoutResult {
  let s = seed >>> 0;
  const rand = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return {
    x: Float32Array.from({ length: n }, () => rand() * 200 - 100),
    y: Float32Array.from({ length: n }, () => rand() * 200 - 100),
    u: Int32Array.from({ length: e }, () => Math.floor(rand() * n)),
    v: Int32Array.from({ length: e }, () => Math.floor(rand() * n)),
    thickness: Float32Array.from({ length: e }, () => rand()),
  };
}

export const layoutSeeds = lazy((): Uint8Array[] => [encodeLayout(layout(6, 5, 1)), encodeLayout(layout(1, 0, 2)), encodeLayout(layout(0, 0, 3)), encodeLayout(layout(20, 30, 4))]);

/** A header with any counts over a body of any length, with odd values in it. */
const generated: fc.Arbitrary<Uint8Array> = fc
  .record({
    magic: fc.constantFrom(MAGIC, MAGIC, MAGIC, 0, MAGIC + 1),
    version: fc.constantFrom(LAYOUT_VERSION, LAYOUT_VERSION, LAYOUT_VERSION, 0, 2, -1),
    n: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom(-1, -3, -(2 ** 31), 2 ** 31 - 1, 2 ** 28)),
    e: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom(-1, -2, -(2 ** 31), 2 ** 31 - 1, 2 ** 29)),
    bodyFrom: fc.constantFrom('match', 'match', 'match', 'other'),
    otherLength: fc.integer({ min: 0, max: 200 }),
    odd: fc.oneof(fc.constant([]), fc.array(fc.record({ at: fc.nat(), value: fc.constantFrom(NaN, Infinity, -Infinity, -1, 1e30, 2, 2 ** 31 - 1) }), { maxLength: 3 })),
  })
  .map(({ magic, version, n, e, bodyFrom, otherLength, odd }) => {
    const bodyLength = bodyFrom === 'match' ? 8 * n + 12 * e : otherLength;
    const body = bodyLength >= 0 && bodyLength <= 4096 ? bodyLength - (bodyLength % 4) : otherLength - (otherLength % 4);
    const out = new Uint8Array(16 + body);
    const view = new DataView(out.buffer);
    [magic, version, n, e].forEach((v, i) => view.setInt32(4 * i, v, true));
    // As encodeLayout lays it out where the counts allow: x, y, then u, v (node ids), then thickness.
    const nn = Math.max(0, Math.min(n, Math.floor(body / 8)));
    const ee = Math.max(0, Math.min(e, Math.floor((body - 8 * nn) / 12)));
    for (let i = 0; i < body / 4; i++) {
      const o = 16 + 4 * i;
      if (i < 2 * nn) view.setFloat32(o, i - nn, true);
      else if (i < 2 * nn + 2 * ee) view.setInt32(o, nn > 0 ? i % nn : 0, true);
      else view.setFloat32(o, (i % 7) / 7, true);
    }
    for (const { at, value } of odd) {
      if (body < 4) break;
      const o = 16 + 4 * (at % (body / 4));
      if (Number.isInteger(value) && Math.abs(value) < 2 ** 31) view.setInt32(o, value, true);
      else view.setFloat32(o, value, true);
    }
    return out;
  });

export const layoutTarget: FuzzTarget = {
  name: 'layout',
  description: 'decodeLayout (src/gat/layout/layoutCache.ts): the graph layout cache file',
  run(input) {
    const r = decodeLayout(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
    if (!r) throw new LayoutRejected();
    const n = r.x.length;
    require(r.y.length === n && r.u.length === r.v.length && r.thickness.length === r.u.length, 'array lengths');
    for (let i = 0; i < n; i++) require(Number.isFinite(r.x[i]) && Number.isFinite(r.y[i]), `node ${i} at (${r.x[i]}, ${r.y[i]})`);
    for (let k = 0; k < r.u.length; k++) {
      require(r.u[k] >= 0 && r.u[k] < n && r.v[k] >= 0 && r.v[k] < n, `edge ${k} (${r.u[k]}, ${r.v[k]}) outside the ${n} nodes`);
      require(r.thickness[k] >= 0 && r.thickness[k] <= 1, `edge ${k} thickness ${r.thickness[k]}`);
    }
  },
  isOwnError: (e) => e instanceof LayoutRejected,
  seeds: layoutSeeds,
  generate: fc.oneof({ arbitrary: generated, weight: 2 }, { arbitrary: mutatedSeeds(layoutSeeds), weight: 2 }),
};
