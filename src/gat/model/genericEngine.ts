/**
 * GAT on generic TensorFlow.js ops (gather, unsortedSegmentSum, …) with autodiff: the path for the
 * native back ends (tfjs-node, tfjs-node-gpu), whose kernels for these ops are fast. It mirrors
 * pytorch-GAT's GAT.py "implementation 3" (edge list) and uses the same dropout masks as the
 * fused engine, so both give the same numbers.
 *
 * Shape legend: N nodes, FIN input features, NH heads, FOUT features per head, E' edges including
 * self-loops, NNZ non-zeros of the sparse input, C classes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { AnalyzeResult, EngineInput, GatEngine, StepResult } from './engine';
import { crossEntropy } from './loss';
import type { LayerShape } from './parameters';
import { STREAM, dropoutSpec, fillMask, layerStream, streamKey } from './random';
import { ensureGradients } from './tfGradients';

const SOURCE_AXIS = 0; // edge arrays are indexed by edge along axis 0

interface LayerInputs {
  readonly weightT: tf.Tensor2D; // (FIN, NH·FOUT)
  readonly attSource: tf.Tensor2D; // (NH, FOUT)
  readonly attTarget: tf.Tensor2D; // (NH, FOUT)
  readonly bias: tf.Tensor1D;
}

interface Masks {
  readonly input: tf.Tensor; // (NNZ) for layer 0, (N, FIN) otherwise
  readonly attention: tf.Tensor2D; // (E', NH)
}

export class GenericEngine implements GatEngine {
  readonly kind = 'generic';
  private readonly n: number;
  private readonly rowIdx: tf.Tensor1D; // (NNZ) row of each non-zero
  private readonly colIdx: tf.Tensor1D; // (NNZ)
  private readonly values: tf.Tensor1D; // (NNZ)
  private readonly src: tf.Tensor1D; // (E')
  private readonly trg: tf.Tensor1D; // (E')
  private readonly trainIdx: tf.Tensor1D;
  private readonly trainOneHot: tf.Tensor2D; // (|train|, C)

  constructor(private readonly input: EngineInput) {
    ensureGradients();
    const x = input.features;
    this.n = input.graph.numNodes;
    const rows = new Int32Array(x.values.length);
    for (let i = 0; i < x.rows; i++) rows.fill(i, x.indptr[i], x.indptr[i + 1]);
    const classes = input.shapes[input.shapes.length - 1].fout;
    const trainLabels = Int32Array.from(input.trainNodes, (i) => input.labels[i]);
    this.rowIdx = tf.tensor1d(rows, 'int32');
    this.colIdx = tf.tensor1d(x.indices, 'int32');
    this.values = tf.tensor1d(x.values, 'float32');
    this.src = tf.tensor1d(input.graph.source, 'int32');
    this.trg = tf.tensor1d(input.graph.target, 'int32');
    this.trainIdx = tf.tensor1d(input.trainNodes, 'int32');
    this.trainOneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(trainLabels, 'int32'), classes), 'float32') as tf.Tensor2D);
  }

  trainStep(step: number, grad: Float32Array): StepResult {
    const spec = dropoutSpec(this.input.dropout);
    const masks = this.masksFor(step, spec.threshold > 0 ? spec : null);
    const params = this.paramTensors();
    let logits: tf.Tensor2D | null = null;
    const { value, grads } = tf.valueAndGrads((...p: tf.Tensor[]) => {
      const out = this.forward(this.group(p), masks, null);
      const trainLogits = tf.gather(out, this.trainIdx); // (|train|, C)
      logits = tf.keep(trainLogits);
      return tf.neg(tf.mean(tf.sum(tf.mul(this.trainOneHot, tf.logSoftmax(trainLogits)), 1))) as tf.Scalar; // ()
    })(params.flatMap((l) => [l.weightT, l.attSource, l.attTarget, l.bias]));
    let offset = 0;
    for (const g of grads) {
      const data = g.dataSync();
      grad.set(data, offset);
      offset += data.length;
    }
    const logitsData = (logits as unknown as tf.Tensor2D).dataSync() as Float32Array;
    const result = crossEntropy(logitsData, this.classes, this.input.trainNodes, this.input.labels, false);
    tf.dispose([value, ...grads, logits as unknown as tf.Tensor, ...params.flatMap((l) => [l.weightT, l.attSource, l.attTarget, l.bias])]);
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
    tf.dispose([this.rowIdx, this.colIdx, this.values, this.src, this.trg, this.trainIdx, this.trainOneHot]);
  }

  private get classes(): number {
    return this.input.shapes[this.input.shapes.length - 1].fout;
  }

  private paramTensors(): LayerInputs[] {
    return this.input.params.layers.map((l) => {
      const { fin, heads, fout } = l.shape;
      return {
        weightT: tf.tensor2d(l.weightT, [fin, heads * fout]),
        attSource: tf.tensor2d(l.attSource, [heads, fout]),
        attTarget: tf.tensor2d(l.attTarget, [heads, fout]),
        bias: tf.tensor1d(l.bias),
      };
    });
  }

  private group(p: tf.Tensor[]): LayerInputs[] {
    return this.input.shapes.map((_, l) => ({
      weightT: p[4 * l] as tf.Tensor2D, attSource: p[4 * l + 1] as tf.Tensor2D, attTarget: p[4 * l + 2] as tf.Tensor2D, bias: p[4 * l + 3] as tf.Tensor1D,
    }));
  }

  private masksFor(step: number, spec: { threshold: number; scale: number } | null): Masks[] | null {
    if (!spec) return null;
    const e = this.input.graph.numEdges;
    return this.input.shapes.map((s, l) => {
      const inKey = streamKey(this.input.seed, step, layerStream(STREAM.inputDropout, l));
      const attKey = streamKey(this.input.seed, step, layerStream(STREAM.attentionDropout, l));
      const inLen = l === 0 ? this.input.features.values.length : this.n * s.fin;
      const input = fillMask(inKey, spec, new Float32Array(inLen));
      return {
        input: l === 0 ? tf.tensor1d(input) : tf.tensor2d(input, [this.n, s.fin]),
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

  private layer(s: LayerShape, l: number, x: tf.Tensor2D | null, p: LayerInputs, m: Masks | null, capture: tf.Tensor[] | null): tf.Tensor2D {
    const { heads, fout } = s;
    const n = this.n;
    // Step 1: input dropout + linear projection
    let proj: tf.Tensor2D; // (N, NH·FOUT)
    if (l === 0) {
      const vals = m ? tf.mul(this.values, m.input) : this.values; // (NNZ)
      const rowsOfW = tf.gather(p.weightT, this.colIdx); // (NNZ, NH·FOUT)
      proj = tf.unsortedSegmentSum(tf.mul(rowsOfW, tf.expandDims(vals, 1)), this.rowIdx, n) as tf.Tensor2D; // (N, NH·FOUT)
    } else {
      const xd = m ? tf.mul(x as tf.Tensor2D, m.input) : (x as tf.Tensor2D); // (N, FIN)
      proj = tf.matMul(xd, p.weightT); // (N, NH·FOUT)
    }
    const proj3 = tf.reshape(proj, [n, heads, fout]); // (N, NH, FOUT)

    // Step 2: edge attention
    const scoresSource = tf.sum(tf.mul(proj3, p.attSource), -1); // (N, NH)
    const scoresTarget = tf.sum(tf.mul(proj3, p.attTarget), -1); // (N, NH)
    const scoresPerEdge = tf.leakyRelu(tf.add(tf.gather(scoresSource, this.src), tf.gather(scoresTarget, this.trg)), 0.2); // (E', NH)
    const expScores = tf.exp(tf.sub(scoresPerEdge, tf.max(scoresPerEdge))); // (E', NH) global max, as pytorch-GAT
    const denominator = tf.unsortedSegmentSum(expScores, this.trg, n); // (N, NH)
    const attention = tf.div(expScores, tf.add(tf.gather(denominator, this.trg), 1e-16)) as tf.Tensor2D; // (E', NH)
    if (capture) capture.push(attention);
    const attentionD = m ? tf.mul(attention, m.attention) : attention; // (E', NH)

    // Step 3: neighbourhood aggregation
    const messages = tf.mul(tf.gather(proj3, this.src, SOURCE_AXIS), tf.expandDims(attentionD, -1)); // (E', NH, FOUT)
    const aggregated = tf.unsortedSegmentSum(messages, this.trg, n); // (N, NH, FOUT)

    // Step 4: concat (+ ELU) or mean over heads, + bias
    if (s.concat) return tf.elu(tf.add(tf.reshape(aggregated, [n, heads * fout]), p.bias)) as tf.Tensor2D; // (N, NH·FOUT)
    return tf.add(tf.mean(aggregated, 1), p.bias) as tf.Tensor2D; // (N, FOUT)
  }
}

function disposeMasks(masks: Masks[] | null): void {
  if (masks) tf.dispose(masks.flatMap((m) => [m.input, m.attention]));
}
