/**
 * GAT on generic TensorFlow.js ops (gather, unsortedSegmentSum, …) with autodiff: the path for the
 * native back ends (tfjs-node, tfjs-node-gpu), whose kernels for these ops are fast. It computes the
 * layer stated in kernels/gatLayer.ts as pytorch-GAT's GAT.py "implementation 3" (edge list) does,
 * and uses the same dropout masks as the fused engine, so both give the same numbers. It also
 * computes GATv2 (kernels/gatV2Layer.ts, PyG's GATv2Conv), the only engine that does so far.
 *
 * Shape legend: N nodes, FIN input features, NH heads, FOUT features per head, E' edges including
 * self-loops, NNZ non-zeros of the sparse input, C classes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { LEAKY_RELU_SLOPE } from '../kernels/gatLayer';
import type { AnalyzeResult, EngineInput, GatEngine, GraphBatch, StepResult } from './engine';
import { binaryCrossEntropy, crossEntropy, microF1 } from './loss';
import type { LayerShape } from './parameters';
import { STREAM, dropoutSpec, fillMask, layerStream, streamKey } from '../kernels/random';
import { ensureGradients } from './tfGradients';
import { ensureFastCpuKernels } from './tfCpuKernels';

const SOURCE_AXIS = 0; // edge arrays are indexed by edge along axis 0

interface LayerInputs {
  readonly weightT: tf.Tensor2D; // (FIN, NH·FOUT); GATv2: W_lᵀ
  readonly bias: tf.Tensor1D;
  readonly skipT: tf.Tensor2D | null; // (FIN, NH·FOUT) for a 'proj' skip connection
  /** The scoring tensors: GAT's two vectors, or GATv2's right-hand map and att. */
  readonly scoring: GatScoring | GatV2Inputs;
}

interface GatScoring {
  readonly model: 'gat';
  readonly attSource: tf.Tensor2D; // (NH, FOUT)
  readonly attTarget: tf.Tensor2D; // (NH, FOUT)
}

/** A GATv2 layer's own tensors; with shared weights weightRT and biasR are weightT and biasL. */
interface GatV2Inputs {
  readonly model: 'gatv2';
  readonly biasL: tf.Tensor1D; // (NH·FOUT)
  readonly weightRT: tf.Tensor2D; // (FIN, NH·FOUT)
  readonly biasR: tf.Tensor1D; // (NH·FOUT)
  readonly att: tf.Tensor2D; // (NH, FOUT)
}

interface Masks {
  readonly input: tf.Tensor; // (NNZ) for layer 0, (N, FIN) otherwise
  readonly attention: tf.Tensor2D; // (E', NH)
}

/** The tensors of the bound batch. */
interface BatchTensors {
  readonly n: number;
  readonly rowIdx: tf.Tensor1D; // (NNZ) row of each non-zero
  readonly colIdx: tf.Tensor1D; // (NNZ)
  readonly values: tf.Tensor1D; // (NNZ)
  readonly src: tf.Tensor1D; // (E')
  readonly trg: tf.Tensor1D; // (E')
  readonly trainIdx: tf.Tensor1D;
  readonly trainTargets: tf.Tensor2D; // (|train|, C): one-hot classes, or the 0/1 labels of a multi-label batch
}

export class GenericEngine implements GatEngine {
  readonly kind = 'generic';
  private batch!: GraphBatch;
  private t!: BatchTensors;

  constructor(private readonly input: EngineInput) {
    ensureGradients();
    ensureFastCpuKernels();
    this.bind(input);
  }

  bind(batch: GraphBatch): void {
    if (this.t) this.disposeBatch();
    const x = batch.features;
    const rows = new Int32Array(x.values.length);
    for (let i = 0; i < x.rows; i++) rows.fill(i, x.indptr[i], x.indptr[i + 1]);
    const classes = this.classes;
    const train = batch.trainNodes;
    const multi = batch.multiLabels;
    this.batch = batch;
    this.t = {
      n: batch.graph.numNodes,
      rowIdx: tf.tensor1d(rows, 'int32'),
      colIdx: tf.tensor1d(x.indices, 'int32'),
      values: tf.tensor1d(x.values, 'float32'),
      src: tf.tensor1d(batch.graph.source, 'int32'),
      trg: tf.tensor1d(batch.graph.target, 'int32'),
      trainIdx: tf.tensor1d(train, 'int32'),
      trainTargets: multi
        ? tf.tensor2d(Float32Array.from({ length: train.length * classes }, (_, k) => multi[train[Math.floor(k / classes)] * classes + (k % classes)]), [train.length, classes])
        : tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(train, (i) => batch.labels[i]), 'int32'), classes), 'float32') as tf.Tensor2D),
    };
  }

  trainStep(step: number, grad: Float32Array): StepResult {
    const spec = dropoutSpec(this.input.dropout);
    const masks = this.masksFor(step, spec.threshold > 0 ? spec : null);
    const params = this.paramTensors();
    let logits: tf.Tensor2D | null = null;
    const { value, grads } = tf.valueAndGrads((...p: tf.Tensor[]) => {
      const out = this.forward(this.group(p), masks, null);
      const trainLogits = tf.gather(out, this.t.trainIdx); // (|train|, C)
      logits = tf.keep(trainLogits);
      return this.lossOf(trainLogits);
    })(flatten(params));
    let offset = 0;
    for (const g of grads) {
      const data = g.dataSync();
      grad.set(data, offset);
      offset += data.length;
    }
    const logitsData = (logits as unknown as tf.Tensor2D).dataSync() as Float32Array;
    const result = this.metrics(logitsData, this.batch.trainNodes);
    tf.dispose([value, ...grads, logits as unknown as tf.Tensor, ...flatten(params)]);
    disposeMasks(masks);
    return result;
  }

  predict(nodes: Int32Array): Float32Array {
    return tf.tidy(() => {
      const out = this.forward(this.paramTensors(), null, null); // (N, C)
      return tf.gather(out, tf.tensor1d(nodes, 'int32')).dataSync() as Float32Array;
    });
  }

  analyze(): AnalyzeResult {
    return tf.tidy(() => {
      const attention: tf.Tensor[] = [];
      const logits = this.forward(this.paramTensors(), null, attention).dataSync() as Float32Array;
      return { logits, attention: attention.map((a) => a.dataSync() as Float32Array) };
    });
  }

  dispose(): void {
    this.disposeBatch();
  }

  private disposeBatch(): void {
    const t = this.t;
    tf.dispose([t.rowIdx, t.colIdx, t.values, t.src, t.trg, t.trainIdx, t.trainTargets]);
  }

  private get classes(): number {
    return this.input.shapes[this.input.shapes.length - 1].fout;
  }

  /** Mean softmax cross-entropy, or mean binary cross-entropy over every (node, label) for multi-label. */
  private lossOf(logits: tf.Tensor2D): tf.Scalar {
    const y = this.t.trainTargets; // (|train|, C)
    if (!this.batch.multiLabels) return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(logits)), 1))) as tf.Scalar; // ()
    // max(x, 0) − x·y + log(1 + e^−|x|), stable for any x, as PyTorch's BCEWithLogitsLoss
    return tf.mean(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, y)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))))) as tf.Scalar; // ()
  }

  private metrics(logits: Float32Array, nodes: Int32Array): StepResult {
    if (!this.batch.multiLabels) return crossEntropy(logits, this.classes, nodes, this.batch.labels, false);
    const { loss, counts } = binaryCrossEntropy(logits, this.classes, nodes, this.batch.multiLabels, false);
    return { loss, acc: microF1(counts), counts };
  }

  private paramTensors(): LayerInputs[] {
    return this.input.params.layers.map((l) => {
      const { fin, heads, fout } = l.shape;
      const hf = heads * fout;
      const weightT = tf.tensor2d(l.weightT, [fin, hf]);
      const v2 = l.v2;
      const shared = l.shape.shareWeights === true;
      let scoring: LayerInputs['scoring'];
      if (v2) {
        const biasL = tf.tensor1d(v2.biasL);
        scoring = { model: 'gatv2', biasL, weightRT: shared ? weightT : tf.tensor2d(v2.weightRT, [fin, hf]), biasR: shared ? biasL : tf.tensor1d(v2.biasR), att: tf.tensor2d(v2.att, [heads, fout]) };
      } else {
        scoring = { model: 'gat', attSource: tf.tensor2d(l.attSource, [heads, fout]), attTarget: tf.tensor2d(l.attTarget, [heads, fout]) };
      }
      return { weightT, bias: tf.tensor1d(l.bias), skipT: l.skipT ? tf.tensor2d(l.skipT, [fin, hf]) : null, scoring };
    });
  }

  /** The flat tensor list (the order of allocateParameters' views, see flatten) back into layers. */
  private group(p: tf.Tensor[]): LayerInputs[] {
    let k = 0;
    return this.input.shapes.map((s) => {
      if (s.model === 'gatv2') {
        const weightT = p[k++] as tf.Tensor2D;
        const biasL = p[k++] as tf.Tensor1D;
        const weightRT = s.shareWeights ? weightT : (p[k++] as tf.Tensor2D);
        const biasR = s.shareWeights ? biasL : (p[k++] as tf.Tensor1D);
        const att = p[k++] as tf.Tensor2D;
        return { weightT, bias: p[k++] as tf.Tensor1D, skipT: s.skip === 'proj' ? (p[k++] as tf.Tensor2D) : null, scoring: { model: 'gatv2', biasL, weightRT, biasR, att } };
      }
      const weightT = p[k++] as tf.Tensor2D;
      const scoring: GatScoring = { model: 'gat', attSource: p[k++] as tf.Tensor2D, attTarget: p[k++] as tf.Tensor2D };
      return { weightT, bias: p[k++] as tf.Tensor1D, skipT: s.skip === 'proj' ? (p[k++] as tf.Tensor2D) : null, scoring };
    });
  }

  private masksFor(step: number, spec: { threshold: number; scale: number } | null): Masks[] | null {
    if (!spec) return null;
    const e = this.batch.graph.numEdges;
    const n = this.t.n;
    return this.input.shapes.map((s, l) => {
      const inKey = streamKey(this.input.seed, step, layerStream(STREAM.inputDropout, l));
      const attKey = streamKey(this.input.seed, step, layerStream(STREAM.attentionDropout, l));
      const inLen = l === 0 ? this.batch.features.values.length : n * s.fin;
      const input = fillMask(inKey, spec, new Float32Array(inLen));
      return {
        input: l === 0 ? tf.tensor1d(input) : tf.tensor2d(input, [n, s.fin]),
        attention: tf.tensor2d(fillMask(attKey, spec, new Float32Array(e * s.heads)), [e, s.heads]),
      };
    });
  }

  /** The whole network: logits (N, C). Pushes each layer's attention (E', NH) into `capture` if given. */
  private forward(params: LayerInputs[], masks: Masks[] | null, capture: tf.Tensor[] | null): tf.Tensor2D {
    let h: tf.Tensor2D | null = null;
    this.input.shapes.forEach((s, l) => {
      h = this.layer(s, l, h, params[l], masks ? masks[l] : null, capture);
    });
    return h as unknown as tf.Tensor2D;
  }

  /** x · W for the sparse first layer's (dropped) non-zeros: gather W's rows, scale, sum per node. (N, NH·FOUT) */
  private sparseProject(vals: tf.Tensor1D, w: tf.Tensor2D): tf.Tensor2D {
    const rowsOfW = tf.gather(w, this.t.colIdx); // (NNZ, NH·FOUT)
    return tf.unsortedSegmentSum(tf.mul(rowsOfW, tf.expandDims(vals, 1)), this.t.rowIdx, this.t.n) as tf.Tensor2D;
  }

  private layer(s: LayerShape, l: number, x: tf.Tensor2D | null, p: LayerInputs, m: Masks | null, capture: tf.Tensor[] | null): tf.Tensor2D {
    const { heads, fout } = s;
    const { n, src, trg } = this.t;
    // Step 1: input dropout + linear projection(s)
    let project: (w: tf.Tensor2D) => tf.Tensor2D; // xd · W  (N, NH·FOUT)
    let skip: tf.Tensor | null = null; // (N, NH, FOUT) or broadcastable
    if (l === 0) {
      const vals = (m ? tf.mul(this.t.values, m.input) : this.t.values) as tf.Tensor1D; // (NNZ)
      project = (w) => this.sparseProject(vals, w);
      if (s.skip === 'identity') {
        // The dense input, scattered from its non-zeros at row·FIN + column.          (N, 1, FIN)
        const flat = tf.add(tf.mul(this.t.rowIdx, tf.scalar(s.fin, 'int32')), this.t.colIdx) as tf.Tensor1D;
        skip = tf.reshape(tf.unsortedSegmentSum(vals, flat, n * s.fin), [n, 1, s.fin]);
      }
    } else {
      const xd = m ? tf.mul(x as tf.Tensor2D, m.input) : (x as tf.Tensor2D); // (N, FIN)
      project = (w) => tf.matMul(xd, w);
      if (s.skip === 'identity') skip = tf.expandDims(xd, 1); // (N, 1, FIN)
    }
    if (p.skipT) skip = tf.reshape(project(p.skipT), [n, heads, fout]);

    // Step 2: edge scores e (E', NH), then α = softmax over each target's incoming edges
    let sent: tf.Tensor; // what each edge's source sends: GAT W h_j, GATv2 x_l[j]   (E', NH, FOUT)
    let scoresPerEdge: tf.Tensor2D; // (E', NH)
    const sc = p.scoring;
    if (sc.model === 'gatv2') {
      // GATv2 (kernels/gatV2Layer.ts): the LeakyReLU per pair and feature, before the dot product
      // explain: v2Projection (the Computation panel links a GATv2 layer's step here; resolved by scripts/build.mjs)
      const xl = tf.reshape(tf.add(project(p.weightT), sc.biasL), [n, heads, fout]); // (N, NH, FOUT)
      const xr = s.shareWeights ? xl : tf.reshape(tf.add(project(sc.weightRT), sc.biasR), [n, heads, fout]); // (N, NH, FOUT)
      sent = tf.gather(xl, src, SOURCE_AXIS); // (E', NH, FOUT), gathered once for the score and the message
      // explain: v2Scores (the Computation panel links a GATv2 layer's step here; resolved by scripts/build.mjs)
      const pairs = tf.leakyRelu(tf.add(sent, tf.gather(xr, trg, SOURCE_AXIS)), LEAKY_RELU_SLOPE); // (E', NH, FOUT)
      scoresPerEdge = tf.sum(tf.mul(pairs, sc.att), -1) as tf.Tensor2D; // (E', NH)
    } else {
      const proj3 = tf.reshape(project(p.weightT), [n, heads, fout]); // (N, NH, FOUT)
      const scoresSource = tf.sum(tf.mul(proj3, sc.attSource), -1); // (N, NH)
      const scoresTarget = tf.sum(tf.mul(proj3, sc.attTarget), -1); // (N, NH)
      scoresPerEdge = tf.leakyRelu(tf.add(tf.gather(scoresSource, src), tf.gather(scoresTarget, trg)), LEAKY_RELU_SLOPE) as tf.Tensor2D; // (E', NH)
      sent = tf.gather(proj3, src, SOURCE_AXIS); // (E', NH, FOUT)
    }
    // explain: v2Attention (the Computation panel links a GATv2 layer's step here; resolved by scripts/build.mjs)
    const expScores = tf.exp(tf.sub(scoresPerEdge, tf.max(scoresPerEdge))); // (E', NH) global max, as pytorch-GAT
    const denominator = tf.unsortedSegmentSum(expScores, trg, n); // (N, NH)
    const attention = tf.div(expScores, tf.add(tf.gather(denominator, trg), 1e-16)) as tf.Tensor2D; // (E', NH)
    if (capture) capture.push(attention);
    const attentionD = m ? tf.mul(attention, m.attention) : attention; // (E', NH)

    // Step 3: neighbourhood aggregation (+ skip connection, before concat/mean as GAT.py)
    // explain: v2Aggregate (the Computation panel links a GATv2 layer's step here; resolved by scripts/build.mjs)
    const messages = tf.mul(sent, tf.expandDims(attentionD, -1)); // (E', NH, FOUT)
    let aggregated = tf.unsortedSegmentSum(messages, trg, n); // (N, NH, FOUT)
    if (skip) aggregated = tf.add(aggregated, skip);

    // Step 4: concat (+ ELU) or mean over heads, + bias
    if (s.concat) return tf.elu(tf.add(tf.reshape(aggregated, [n, heads * fout]), p.bias)) as tf.Tensor2D; // (N, NH·FOUT)
    return tf.add(tf.mean(aggregated, 1), p.bias) as tf.Tensor2D; // (N, FOUT)
  }
}

/** The parameter tensors in the flat buffer's order (allocateParameters); a shared W_r, b_r appears once, as W_l, b_l. */
function flatten(params: LayerInputs[]): tf.Tensor[] {
  return params.flatMap((l) => {
    const skip = l.skipT ? [l.skipT] : [];
    const sc = l.scoring;
    if (sc.model === 'gat') return [l.weightT, sc.attSource, sc.attTarget, l.bias, ...skip];
    const right = sc.weightRT === l.weightT ? [] : [sc.weightRT, sc.biasR];
    return [l.weightT, sc.biasL, ...right, sc.att, l.bias, ...skip];
  });
}

function disposeMasks(masks: Masks[] | null): void {
  if (masks) tf.dispose(masks.flatMap((m) => [m.input, m.attention]));
}
