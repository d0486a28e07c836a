/**
 * What a faithfulness worker needs and answers: the run's model once (workerData), then batches of
 * node ids; each answer carries every method's fidelity rows for those nodes.
 */
import type { NamedTensor } from '../artifacts/namedTensor';
import { isMotifEdge, type GraphDataset } from '../data/graph';
import { buildGatGraph, type GatGraph } from '../kernels/gatGraph';
import type { LayerShape } from '../model/parameters';
import { argmax, type ImportanceSettings, type Objective } from './edgeImportance';
import type { RankingMethod } from '../../protocol/faithfulness';
import { nodeFidelity, type GradedRow } from './faithfulness';
import { FieldModel } from './fieldModel';
import { weightsOf, type LayerWeights } from './layerWeights';
import { receptiveField } from './receptiveField';

export interface FaithfulnessJob {
  readonly graph: GraphDataset;
  readonly shapes: readonly LayerShape[];
  readonly params: readonly NamedTensor[];
  readonly methods: readonly RankingMethod[];
  readonly ks: readonly number[];
  readonly settings: ImportanceSettings;
  /** Edge units are directed edges (a directed dataset, or --directed-edits). */
  readonly directed: boolean;
}

export type WorkerReply = { readonly type: 'rows'; readonly rows: GradedRow[] } | { readonly type: 'error'; readonly message: string };

/** The model of a job, built once per thread. */
export class FaithfulnessRunner {
  private readonly gat: GatGraph;
  private readonly weights: LayerWeights[];
  constructor(private readonly job: FaithfulnessJob) {
    this.gat = buildGatGraph(job.graph);
    this.weights = weightsOf(job.shapes, job.params);
  }

  node(node: number): GradedRow[] {
    const model = new FieldModel(receptiveField(this.gat, node, this.job.shapes.length, this.job.directed), this.weights, this.job.graph.features);
    const logits = model.forward().logits;
    // the explained output: the predicted class, or (multi-label) the most probable label
    const objective: Objective = { index: argmax(logits), kind: this.job.graph.multiLabels ? 'sigmoid' : 'softmax' };
    const g = this.job.graph;
    const motifLabels = g.motifs && g.motifs[node] >= 0 ? Uint8Array.from(model.field.units, (u) => (isMotifEdge(g, u.source, u.target) ? 1 : 0)) : undefined;
    return nodeFidelity({ model, objective, methods: this.job.methods, ks: this.job.ks, settings: this.job.settings, numNodes: g.numNodes, ...(motifLabels ? { motifLabels } : {}) });
  }
}
