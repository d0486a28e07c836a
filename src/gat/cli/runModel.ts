/**
 * A run's model as the float64 reference passes read it: the dataset by the run's name, its
 * self-looped graph, layer shapes and final parameters (or the last checkpoint's). Shared by
 * `gat explain`, `gat faithfulness` and the explain server the what-if panel keeps alive.
 */
import * as path from 'node:path';
import { readModelBinary } from '../artifacts/checkpoint';
import { parseProvenance } from '../artifacts/provenance';
import { readRun } from '../artifacts/runRecord';
import { loadDataset } from '../data/loadDataset';
import type { StudyModel } from '../explain/nodeStudy';
import { UsageError } from '../options/args';
import { configShapes, DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../train/trainConfig';
import { resolveRunDir } from './runArg';

/** A run's model: what the study of a node reads (the dataset by the run's name, shapes, parameters). */
export type RunModel = StudyModel;

/** `gatv2`: whether the caller follows GATv2 layers (the step-through does; edge importance not yet). */
export async function loadRunModel(runDirArg: string, command = 'gat explain', gatv2 = true): Promise<RunModel> {
  const runDir = resolveRunDir(runDirArg);
  const run = await readRun(runDir);
  const out = path.resolve(runDir, '..', '..');
  const modelFile = run.artifacts.binary ?? run.artifacts.lastCheckpoint;
  if (!modelFile) throw new UsageError(`run ${run.runId} has no model yet (no final model, no checkpoint): train it first`);
  const binary = await readModelBinary(path.join(out, modelFile));
  const provenance = parseProvenance(binary.metadata);
  const graph = await loadDataset(run.dataset, { dataDir: run.datasetDir ?? undefined });
  const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...((provenance.config ?? run.config ?? {}) as Partial<TrainConfig>) };
  if (config.model === 'gatv2' && !gatv2) {
    throw new UsageError(`run ${run.runId} is a GATv2 model: ${command} scores GAT layers only so far (gat explain steps through it; its attention is in the analysis: gat analyze --model ${modelFile})`);
  }
  const shapes = configShapes(graph, config);
  return { runId: run.runId, graph, shapes, params: binary.params, uniformAttention: shapes.every((s) => s.attention === 'uniform') };
}

export function checkNode(m: Pick<RunModel, 'graph'>, node: number): void {
  if (node >= m.graph.numNodes) throw new UsageError(`node ${node} does not exist in ${m.graph.name}: node ids are 0 to ${m.graph.numNodes - 1}`);
}
