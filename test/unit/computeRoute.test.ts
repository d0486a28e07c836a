import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeRoute, parseComputeRoute, routeOf, type ComputeRoute } from '../../src/protocol/computeRoute';

const FUSED: ComputeRoute = { engine: 'fused', kernels: 'wasm-simd', threads: 4, products: 'tfjs', gemmThreads: 2 };

describe('compute route (run.json, provenance, Back End Info)', () => {
  it('describes the engine, its threads and the dense products in one line', () => {
    assert.equal(describeRoute(FUSED), 'fused kernels (wasm-simd) on 4 threads; dense products: tfjs on 2 threads');
    assert.equal(describeRoute({ ...FUSED, threads: 1, products: null }), 'fused kernels (wasm-simd) on 1 thread');
    assert.equal(describeRoute({ engine: 'webgpu', kernels: null, threads: 1, products: null, gemmThreads: 1 }), 'WGSL kernels on the GPU');
    assert.equal(describeRoute({ engine: 'generic', kernels: null, threads: 1, products: null, gemmThreads: 1 }), 'generic TensorFlow.js ops');
  });

  it('takes a trainer\'s fields', () => {
    assert.deepEqual(routeOf({ engine: 'fused', hotKernels: 'wasm-simd', threads: 4, products: 'tfjs', gemmThreads: 2 }), FUSED);
  });

  it('reads back what it wrote', () => {
    assert.deepEqual(parseComputeRoute(JSON.parse(JSON.stringify(FUSED))), FUSED);
    assert.deepEqual(parseComputeRoute({ engine: 'webgpu', kernels: null, threads: 1, products: null, gemmThreads: 1 }), { engine: 'webgpu', kernels: null, threads: 1, products: null, gemmThreads: 1 });
  });

  it('refuses a route from a file unless every field has its type and names are plain', () => {
    const bad: unknown[] = [
      null, [], 'fused', { ...FUSED, threads: 0 }, { ...FUSED, threads: 1.5 }, { ...FUSED, gemmThreads: '2' }, { ...FUSED, engine: null },
      { ...FUSED, kernels: 3 }, { ...FUSED, products: '[x](command:workbench.action.terminal.new)' }, { ...FUSED, engine: 'a'.repeat(65) },
      { engine: 'fused', kernels: 'typescript', threads: 1, gemmThreads: 1 },
      Object.assign(Object.create({ products: null }), { engine: 'fused', kernels: 'typescript', threads: 1, gemmThreads: 1 }),
    ];
    for (const v of bad) assert.equal(parseComputeRoute(v), null, JSON.stringify(v));
  });
});
