/** The WebGPU engine and the fused engine with CPU Adam, trained side by side (the GPU Adam tests). */
import assert from 'node:assert/strict';
import { createWebGpuEngine, type WebGpuEngine } from '../../src/gat/gpu/webgpuEngine';
import type { WebGpuDevice } from '../../src/gat/gpu/webgpuDevice';
import { Adam, type AdamOptions } from '../../src/gat/model/adam';
import type { EngineInput } from '../../src/gat/model/engine';
import { FusedEngine } from '../../src/gat/model/fusedEngine';
import { allocateParameters, type GatParameters } from '../../src/gat/model/parameters';

export interface AdamTwins {
  readonly engine: WebGpuEngine; // the caller disposes it
  readonly cpuParams: GatParameters;
  readonly adam: Adam;
}

/**
 * `steps` training steps with Adam from `input`'s parameters on both: the GPU engine with its
 * resident Adam, the fused engine with CPU Adam on a copy. Every step's loss must agree to 1e-5
 * (relative to 1 + loss) and its accuracy or micro-F1 counts exactly.
 */
export async function trainAdamTwins(gpu: WebGpuDevice, input: EngineInput, opts: AdamOptions, steps: number): Promise<AdamTwins> {
  const cpuParams = allocateParameters(input.shapes, input.params.flat.slice());
  const fused = new FusedEngine({ ...input, params: cpuParams });
  const engine = await createWebGpuEngine(input, gpu);
  const adam = new Adam(cpuParams.flat.length, opts);
  const grad = new Float32Array(cpuParams.flat.length);
  try {
    for (let step = 0; step < steps; step++) {
      const rg = await engine.trainStep(step, new Float32Array(0));
      const rf = fused.trainStep(step, grad);
      assert.ok(Math.abs(rg.loss - rf.loss) <= 1e-5 * (1 + rf.loss), `step ${step}: loss ${rg.loss} vs ${rf.loss}`);
      assert.deepEqual(rg.counts, rf.counts, `step ${step}: counts`);
      engine.adamStep(opts);
      adam.update(cpuParams.flat, grad);
    }
  } catch (e) {
    engine.dispose();
    throw e;
  }
  return { engine, cpuParams, adam };
}
