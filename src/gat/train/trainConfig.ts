import { architectureProblem } from '../model/architecture';
import { MODEL_KINDS, layerShapes, parameterNames, type LayerShape, type ModelKind } from '../model/parameters';
import type { GraphDataset } from '../data/graph';
import { MAX_KERNEL_THREADS } from '../kernels/partition';

/** Hyper-parameters of a training session; the defaults are the paper's / pytorch-GAT's Cora recipe. */

export interface TrainConfig {
  readonly seed: number;
  readonly lr: number;
  readonly weightDecay: number;
  /** Dropout on every layer's input and on the attention coefficients. */
  readonly dropout: number;
  /** Heads per layer, hidden layers then the output layer: [8, 1]. */
  readonly heads: readonly number[];
  /** Features per head of each hidden layer: [8]. The output layer has one per class. */
  readonly hidden: readonly number[];
  /**
   * Which implementation of the graph operations to run: 'auto' picks fused kernels on cpu/wasm and
   * generic TensorFlow.js ops on the native back ends; forcing one is for tests and measurements.
   */
  readonly engine?: 'auto' | 'fused' | 'generic';
  /**
   * Fused engine on a back end with worker threads (wasm; threadPlan.ts decides): threads for the hot
   * kernels, 1 to 256 (this thread and a pool of workers splitting each kernel by rows or columns; the
   * results are the same bits for every count). Default: every core (os.availableParallelism()).
   */
  readonly threads?: number;
  /**
   * 'uniform' fixes every attention coefficient to 1/(in-degree + 1): the GAT paper's control
   * ("Const-GAT"), the same network without scoring parameters. Default 'learned'.
   */
  readonly attention?: 'learned' | 'uniform';
  /** 'gatv2': GATv2 (kernels/gatV2Layer.ts, PyG's GATv2Conv) in every layer. Absent: GAT. */
  readonly model?: ModelKind;
  /** GATv2 only: W_l = W_r, b_l = b_r (PyG's share_weights, the paper's form). Absent: separate maps. */
  readonly shareWeights?: boolean;
  /** GAT.py's add_skip_connection (the PPI recipe); default false. */
  readonly skipConnection?: boolean;
  /** Inductive datasets: graphs per training batch (default 2, as pytorch-GAT's PPI script). */
  readonly batchSize?: number;
  /**
   * Back ends with worker threads (native, wasm), models with wide layers (PPI): threads for the dense
   * products. Default: as many as the kernels, up to what the back end's GEMM runs on (threadPlan.ts).
   */
  readonly gemmThreads?: number;
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  seed: 1,
  lr: 5e-3,
  weightDecay: 5e-4,
  dropout: 0.6,
  heads: [8, 1],
  hidden: [8],
  engine: 'auto',
};

/** Throws a RangeError naming the first invalid field. */
export function validateTrainConfig(c: TrainConfig): void {
  const fail = (msg: string): never => {
    throw new RangeError(`invalid training config: ${msg}`);
  };
  if (!Number.isInteger(c.seed)) fail(`seed must be an integer; got ${c.seed}`);
  if (!(c.lr > 0 && Number.isFinite(c.lr))) fail(`lr must be > 0; got ${c.lr}`);
  if (!(c.weightDecay >= 0 && Number.isFinite(c.weightDecay))) fail(`weightDecay must be ≥ 0; got ${c.weightDecay}`);
  if (!(c.dropout >= 0 && c.dropout < 1)) fail(`dropout must be in [0, 1); got ${c.dropout}`);
  const sizes = architectureProblem(c.heads, c.hidden);
  if (sizes) fail(sizes);
  if (c.threads !== undefined && !(Number.isInteger(c.threads) && c.threads >= 1 && c.threads <= MAX_KERNEL_THREADS)) {
    fail(`threads must be an integer from 1 to ${MAX_KERNEL_THREADS}; got ${c.threads}`);
  }
  if (c.gemmThreads !== undefined && !(Number.isInteger(c.gemmThreads) && c.gemmThreads >= 1 && c.gemmThreads <= MAX_KERNEL_THREADS)) {
    fail(`gemmThreads must be an integer from 1 to ${MAX_KERNEL_THREADS}; got ${c.gemmThreads}`);
  }
  if (c.attention !== undefined && c.attention !== 'learned' && c.attention !== 'uniform') fail(`attention must be 'learned' or 'uniform'; got ${String(c.attention)}`);
  if (c.model !== undefined && !MODEL_KINDS.includes(c.model)) fail(`model must be one of ${MODEL_KINDS.join(', ')}; got ${String(c.model)}`);
  if (c.shareWeights && c.model !== 'gatv2') fail('shareWeights (W_l = W_r) is a GATv2 option: set model to gatv2');
  if (c.batchSize !== undefined && !(Number.isInteger(c.batchSize) && c.batchSize >= 1)) fail(`batchSize must be a positive integer; got ${c.batchSize}`);
}

/** The layer shapes a config gives on a dataset. */
type ShapeFields = 'heads' | 'hidden' | 'skipConnection' | 'attention' | 'model' | 'shareWeights';

export function configShapes(graph: Pick<GraphDataset, 'numFeatures' | 'numClasses'>, c: Pick<TrainConfig, ShapeFields>): LayerShape[] {
  return layerShapes(graph.numFeatures, graph.numClasses, c.heads, c.hidden, c.skipConnection ?? false, c.attention ?? 'learned', c.model ?? 'gat', c.shareWeights ?? false);
}

/** Float32 bytes of all parameters, as safetensors stores them (without its header). */
export function parameterBytes(graph: Pick<GraphDataset, 'numFeatures' | 'numClasses'>, config: Pick<TrainConfig, ShapeFields>): number {
  const shapes = configShapes(graph, config);
  return parameterNames(shapes).reduce((a, t) => a + 4 * t.shape.reduce((x, y) => x * y, 1), 0);
}
