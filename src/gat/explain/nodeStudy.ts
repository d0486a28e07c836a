/**
 * One node of a run, studied: its computation step by step on the run's graph or on a what-if
 * edit of it, and the importance of every edge of its receptive field for the prediction. The
 * saved run is never touched: edits make an in-memory copy of the dataset.
 */
import type { NamedTensor } from '../artifacts/namedTensor';
import type { GraphDataset } from '../data/graph';
import { buildGatGraph } from '../kernels/gatGraph';
import type { LayerShape } from '../model/parameters';
import type { ImportanceMethod, NodeExplanation } from '../../protocol/explanation';
import { argmax, DEFAULT_IMPORTANCE, edgeImportance, type ImportanceSettings, type Objective } from './edgeImportance';
import { explainNode } from './explainNode';
import { FieldModel } from './fieldModel';
import { applyEdits, describeEdit, EditError, type EditSet } from './graphEdits';
import { weightsOf } from './layerWeights';
import { isUndirected, receptiveField } from './receptiveField';

export interface StudyModel {
  readonly runId: string;
  readonly graph: GraphDataset;
  readonly shapes: readonly LayerShape[];
  readonly params: readonly NamedTensor[];
  readonly uniformAttention: boolean;
}

export interface StudyRequest {
  readonly node: number;
  readonly edits: EditSet;
  readonly methods: readonly ImportanceMethod[];
  /** Multi-label: the label explained (default: the most probable). Single-label: must be left out. */
  readonly label?: number;
  readonly settings?: ImportanceSettings;
  /** The node's unedited prediction, when the caller already has it (a panel's edits follow one another on one node). */
  readonly before?: UneditedPrediction;
}

export type UneditedPrediction = NonNullable<NodeExplanation['edits']>['before'];

/** Whether edge edits and units may pair both directions: only when the dataset lists every edge both ways. */
const undirectedCache = new WeakMap<GraphDataset, boolean>();
export function datasetIsUndirected(g: GraphDataset): boolean {
  let u = undirectedCache.get(g);
  if (u === undefined) undirectedCache.set(g, (u = isUndirected(g)));
  return u;
}

export function studyNode(m: StudyModel, r: StudyRequest): NodeExplanation {
  if (r.methods.length > 0 && m.shapes.some((s) => s.model === 'gatv2')) throw new EditError('edge importance scores GAT layers only so far: this run is a GATv2 model (its step-through works without --importance)');
  const directed = r.edits.directed || !datasetIsUndirected(m.graph);
  const edits: EditSet = { edits: r.edits.edits, directed };
  const graph = applyEdits(m.graph, edits); // checks every edit before any work
  const gat = buildGatGraph(graph);
  const x = explainNode({ runId: m.runId, graph, gat, shapes: m.shapes, params: m.params, node: r.node });
  const objective = objectiveOf(x, r.label);
  let out: NodeExplanation = x;
  if (edits.edits.length > 0) {
    const before = r.before ?? uneditedPrediction(m, r.node);
    out = { ...out, edits: { applied: edits.edits.map((e) => describeEdit(e, directed)), directed, before } };
  }
  if (r.methods.length === 0) return out;
  const model = new FieldModel(receptiveField(gat, r.node, m.shapes.length, directed), weightsOf(m.shapes, m.params), graph.features);
  const importance = edgeImportance({
    model,
    objective,
    objectiveName: x.classNames[objective.index] ?? `class ${objective.index}`,
    methods: r.methods,
    settings: r.settings ?? DEFAULT_IMPORTANCE,
    uniformAttention: m.uniformAttention,
    numNodes: graph.numNodes,
  });
  return { ...out, importance };
}

export function uneditedPrediction(m: StudyModel, node: number): UneditedPrediction {
  const { probabilities, predicted } = explainNode({ runId: m.runId, graph: m.graph, gat: buildGatGraph(m.graph), shapes: m.shapes, params: m.params, node }).result;
  return { probabilities, predicted };
}

/** The output explained: the predicted class, or a multi-label dataset's chosen (or most probable) label. */
export function objectiveOf(x: Pick<NodeExplanation, 'multiLabel' | 'classNames' | 'result'>, label?: number): Objective {
  const p = x.result.probabilities;
  if (!x.multiLabel) {
    if (label !== undefined) throw new EditError(`--label is for multi-label datasets; this one explains the predicted class (${x.classNames[x.result.predicted[0]]})`);
    return { index: x.result.predicted[0], kind: 'softmax' };
  }
  if (label !== undefined && (label < 0 || label >= p.length)) throw new EditError(`label ${label} does not exist: labels are 0 to ${p.length - 1}`);
  return { index: label ?? argmax(p), kind: 'sigmoid' };
}
