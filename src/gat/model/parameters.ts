/**
 * The model's parameters as one flat Float32Array with named views, so Adam, snapshots and
 * threads see a single buffer. Internally the projection is stored as W^T [FIN, NH·FOUT] (rows
 * are contiguous for the sparse product); export converts to pytorch-GAT's [NH·FOUT, FIN].
 *
 * Two models share this layout: GAT (kernels/gatLayer.ts) and GATv2 (kernels/gatV2Layer.ts), whose
 * layers carry PyG GATv2Conv's tensors (lin_l, lin_r, att, bias) instead of GAT's scoring vectors.
 */
import type { NamedTensor } from '../artifacts/namedTensor';
import { architectureProblem } from './architecture';
import { STREAM, streamKey, uniformAt } from '../kernels/random';

export interface LayerShape {
  readonly fin: number;
  readonly heads: number;
  readonly fout: number;
  /** Concatenate heads (hidden layers) or average them (output layer). */
  readonly concat: boolean;
  /**
   * Skip connection, as GAT.py adds it before concat/mean: 'identity' adds the input to every head
   * (when FOUT == FIN), 'proj' adds skip_proj(input), a bias-free FIN → NH·FOUT map. Absent: none.
   */
  readonly skip?: 'identity' | 'proj';
  /**
   * 'uniform': attention fixed to 1/(in-degree + 1), the GAT paper's Const-GAT control. The scoring
   * vectors stay in the flat buffer (the engines read them) but are held at zero, so every edge of
   * a neighbourhood scores the same; they are not model parameters (no tensor, no gradient).
   */
  readonly attention?: 'uniform';
  /** 'gatv2': a GATv2 layer (PyG's GATv2Conv, kernels/gatV2Layer.ts). Absent: GAT. */
  readonly model?: 'gatv2';
  /** GATv2 only: W_l = W_r and b_l = b_r (PyG's share_weights, the paper's form): one tensor, lin_l. */
  readonly shareWeights?: true;
}

/** Which network a model is: GAT (Veličković et al.) or GATv2 (Brody et al., PyG's GATv2Conv). */
export type ModelKind = 'gat' | 'gatv2';
export const MODEL_KINDS: readonly ModelKind[] = ['gat', 'gatv2'];

/** The model of a network of these shapes. */
export function modelOf(shapes: readonly LayerShape[]): ModelKind {
  return shapes.some((s) => s.model === 'gatv2') ? 'gatv2' : 'gat';
}

/**
 * A GATv2 layer's own tensors. With shared weights, weightRT and biasR are the same views as
 * weightT and biasL, so one buffer (and one gradient) serves both sides.
 */
export interface GatV2Views {
  readonly biasL: Float32Array; // lin_l.bias (NH·FOUT)
  readonly weightRT: Float32Array; // lin_r.weight^T (FIN, NH·FOUT)
  readonly biasR: Float32Array; // lin_r.bias (NH·FOUT)
  readonly att: Float32Array; // att (NH, FOUT)
}

export interface LayerParams {
  readonly shape: LayerShape;
  readonly weightT: Float32Array; // (FIN, NH·FOUT); GATv2: lin_l.weight^T
  readonly attSource: Float32Array; // (NH, FOUT); GATv2: empty
  readonly attTarget: Float32Array; // (NH, FOUT); GATv2: empty
  readonly bias: Float32Array; // (NH·FOUT) if concat else (FOUT)
  readonly skipT: Float32Array | null; // (FIN, NH·FOUT) when skip is 'proj'
  readonly v2: GatV2Views | null; // GATv2 layers only
}

export interface GatParameters {
  readonly flat: Float32Array;
  readonly layers: readonly LayerParams[];
}

/**
 * Layer shapes for `heads`/`hidden` per hidden layer plus an output layer of `numClasses`; with
 * `skipConnection`, each layer gets GAT.py's skip: identity when FOUT == FIN, else a projection.
 */
export function layerShapes(
  numFeatures: number, numClasses: number, heads: readonly number[], hidden: readonly number[], skipConnection = false, attention: 'learned' | 'uniform' = 'learned',
  model: ModelKind = 'gat', shareWeights = false,
): LayerShape[] {
  if (shareWeights && model !== 'gatv2') throw new RangeError('shared weights (W_l = W_r) are a GATv2 option: use model gatv2');
  const problem = architectureProblem(heads, hidden, numFeatures, numClasses);
  if (problem) throw new RangeError(problem);
  const shapes: LayerShape[] = [];
  let fin = numFeatures;
  for (let l = 0; l < heads.length; l++) {
    const last = l === heads.length - 1;
    const fout = last ? numClasses : hidden[l];
    const shape: LayerShape = {
      fin, heads: heads[l], fout, concat: !last,
      ...(attention === 'uniform' ? { attention: 'uniform' as const } : {}),
      ...(model === 'gatv2' ? { model: 'gatv2' as const, ...(shareWeights ? { shareWeights: true as const } : {}) } : {}),
    };
    shapes.push(skipConnection ? { ...shape, skip: fout === fin ? 'identity' : 'proj' } : shape);
    fin = heads[l] * fout;
  }
  return shapes;
}

function layerSize(s: LayerShape): number {
  const hf = s.heads * s.fout;
  const tail = (s.concat ? hf : s.fout) + (s.skip === 'proj' ? s.fin * hf : 0); // bias, skip W
  if (s.model !== 'gatv2') return s.fin * hf + 2 * hf + tail; // W, a_src, a_trg
  const sides = s.shareWeights ? 1 : 2; // (W, b) of lin_l, and of lin_r unless shared
  return sides * (s.fin * hf + hf) + hf + tail; // + att
}

/** Floats of all parameters of a model of these shapes. */
export function parameterCount(shapes: readonly LayerShape[]): number {
  return shapes.reduce((a, s) => a + layerSize(s), 0);
}

/**
 * Views over `flat` (allocated when omitted) in a fixed order per layer: GAT W, a_src, a_trg, bias,
 * skip W; GATv2 W_l, b_l, [W_r, b_r unless shared], att, bias, skip W.
 */
export function allocateParameters(shapes: readonly LayerShape[], flat?: Float32Array): GatParameters {
  const total = parameterCount(shapes);
  const buf = flat ?? new Float32Array(total);
  if (buf.length !== total) throw new RangeError(`parameter buffer has ${buf.length} floats; the model needs ${total}`);
  let off = 0;
  const take = (n: number): Float32Array => buf.subarray(off, (off += n));
  const layers = shapes.map((shape) => {
    const hf = shape.heads * shape.fout;
    const biasOf = (): Float32Array => take(shape.concat ? hf : shape.fout);
    const skipOf = (): Float32Array | null => (shape.skip === 'proj' ? take(shape.fin * hf) : null);
    if (shape.model === 'gatv2') {
      const weightT = take(shape.fin * hf);
      const biasL = take(hf);
      const weightRT = shape.shareWeights ? weightT : take(shape.fin * hf);
      const biasR = shape.shareWeights ? biasL : take(hf);
      const att = take(hf);
      const none = buf.subarray(off, off);
      return { shape, weightT, attSource: none, attTarget: none, bias: biasOf(), skipT: skipOf(), v2: { biasL, weightRT, biasR, att } };
    }
    return { shape, weightT: take(shape.fin * hf), attSource: take(hf), attTarget: take(hf), bias: biasOf(), skipT: skipOf(), v2: null };
  });
  return { flat: buf, layers };
}

/**
 * Glorot-uniform weights and attention vectors with PyTorch's fan rules, zero biases (GAT.py's
 * init_params); skip_proj keeps nn.Linear's own default, uniform in ±1/√FIN.
 */
export function initParameters(p: GatParameters, seed: number): void {
  const key = streamKey(seed, -1, STREAM.init);
  let idx = 0;
  const glorot = (a: Float32Array, fanIn: number, fanOut: number): void => {
    const bound = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < a.length; i++) a[i] = (2 * uniformAt(key, idx++) - 1) * bound;
  };
  for (const l of p.layers) {
    const { fin, heads, fout } = l.shape;
    if (l.v2) {
      // PyG's GATv2Conv.reset_parameters: glorot lin_l and lin_r weights (its glorot: fans are the
      // last two dimensions), zero their biases, glorot att [1, NH, FOUT] over (NH, FOUT), zero bias.
      glorot(l.weightT, fin, heads * fout);
      if (!l.shape.shareWeights) glorot(l.v2.weightRT, fin, heads * fout);
      glorot(l.v2.att, heads, fout);
      l.v2.biasL.fill(0);
      l.v2.biasR.fill(0);
      l.bias.fill(0);
      if (l.shape.attention === 'uniform') l.v2.att.fill(0);
      continue;
    }
    glorot(l.weightT, fin, heads * fout); // linear_proj.weight [NH·FOUT, FIN]
    glorot(l.attTarget, heads * fout, fout); // scoring_fn_* [1, NH, FOUT]: fan_in = NH·FOUT, fan_out = FOUT
    glorot(l.attSource, heads * fout, fout);
    l.bias.fill(0);
    // Drawn and then cleared, so a uniform model starts from the same weights as its learned twin.
    if (l.shape.attention === 'uniform') {
      l.attSource.fill(0);
      l.attTarget.fill(0);
    }
  }
  // After every Glorot draw, so models without skip connections keep their exact initial values.
  for (const l of p.layers) {
    if (!l.skipT) continue;
    const bound = 1 / Math.sqrt(l.shape.fin);
    for (let i = 0; i < l.skipT.length; i++) l.skipT[i] = (2 * uniformAt(key, idx++) - 1) * bound;
  }
}

interface NamedView {
  readonly name: string;
  readonly shape: number[];
  readonly view: (l: LayerParams) => Float32Array;
  /** Stored as W^T (FIN, NH·FOUT) here, as W (NH·FOUT, FIN) in the state_dict. */
  readonly transposed: boolean;
}

/** The GATv2 views of a layer (its tensors are listed only for GATv2 layers). */
function v2Of(p: LayerParams): GatV2Views {
  if (!p.v2) throw new RangeError('not a GATv2 layer');
  return p.v2;
}

/**
 * A GATv2 layer's tensors under PyG GATv2Conv's names (lin_l, lin_r, att, bias), in the flat order.
 * With shared weights PyG's lin_r is lin_l itself; here it is stored once, as lin_l.
 */
function gatV2Tensors(s: LayerShape, l: number): NamedView[] {
  const hf = s.heads * s.fout;
  const p = `gat_net.${l}.`;
  const right: NamedView[] = s.shareWeights
    ? []
    : [
        { name: `${p}lin_r.weight`, shape: [hf, s.fin], view: (v) => v2Of(v).weightRT, transposed: true },
        { name: `${p}lin_r.bias`, shape: [hf], view: (v) => v2Of(v).biasR, transposed: false },
      ];
  const out: NamedView[] = [
    { name: `${p}lin_l.weight`, shape: [hf, s.fin], view: (v) => v.weightT, transposed: true },
    { name: `${p}lin_l.bias`, shape: [hf], view: (v) => v2Of(v).biasL, transposed: false },
    ...right,
    ...(s.attention === 'uniform' ? [] : [{ name: `${p}att`, shape: [1, s.heads, s.fout], view: (v: LayerParams) => v2Of(v).att, transposed: false }]),
    { name: `${p}bias`, shape: [s.concat ? hf : s.fout], view: (v) => v.bias, transposed: false },
  ];
  if (s.skip === 'proj') out.push({ name: `${p}skip_proj.weight`, shape: [hf, s.fin], view: (v) => v.skipT as Float32Array, transposed: true });
  return out;
}

/** pytorch-GAT state_dict names and layouts of one layer's tensors (GATv2: PyG's), with the view each fills. */
function layerTensors(s: LayerShape, l: number): NamedView[] {
  if (s.model === 'gatv2') return gatV2Tensors(s, l);
  const hf = s.heads * s.fout;
  const scoring: NamedView[] =
    s.attention === 'uniform'
      ? []
      : [
          { name: `gat_net.${l}.scoring_fn_source`, shape: [1, s.heads, s.fout], view: (p) => p.attSource, transposed: false },
          { name: `gat_net.${l}.scoring_fn_target`, shape: [1, s.heads, s.fout], view: (p) => p.attTarget, transposed: false },
        ];
  const out: NamedView[] = [
    { name: `gat_net.${l}.linear_proj.weight`, shape: [hf, s.fin], view: (p) => p.weightT, transposed: true },
    ...scoring,
    { name: `gat_net.${l}.bias`, shape: [s.concat ? hf : s.fout], view: (p) => p.bias, transposed: false },
  ];
  if (s.skip === 'proj') out.push({ name: `gat_net.${l}.skip_proj.weight`, shape: [hf, s.fin], view: (p) => p.skipT as Float32Array, transposed: true });
  return out;
}

/** pytorch-GAT state_dict names and layouts, in the order of `allocateParameters`' views. */
export function parameterNames(shapes: readonly LayerShape[]): { name: string; shape: number[] }[] {
  return shapes.flatMap((s, l) => layerTensors(s, l).map(({ name, shape }) => ({ name, shape })));
}

/** Splits a flat buffer (parameters or an Adam moment) into pytorch-GAT-shaped tensors. */
export function toNamedTensors(shapes: readonly LayerShape[], flat: Float32Array, prefix = ''): NamedTensor[] {
  const views = allocateParameters(shapes, flat);
  return views.layers.flatMap((l, i) =>
    layerTensors(l.shape, i).map((t) => ({
      name: prefix + t.name,
      shape: t.shape,
      data: t.transposed ? transpose(t.view(l), l.shape.fin, l.shape.heads * l.shape.fout) : t.view(l).slice(),
    })),
  );
}

/**
 * Why `tensors` are not the parameters of a model of `shapes` (a tensor missing, or of another shape),
 * or undefined: the one shape check of training state, imported models and model files.
 */
export function parameterShapeProblem(shapes: readonly LayerShape[], tensors: ReadonlyMap<string, { readonly shape: readonly number[] }>, prefix = ''): string | undefined {
  for (const n of parameterNames(shapes)) {
    const t = tensors.get(prefix + n.name);
    if (!t) return `missing tensor '${prefix + n.name}' (shape [${n.shape.join(', ')}])`;
    if (t.shape.length !== n.shape.length || t.shape.some((d, j) => d !== n.shape[j])) return `tensor '${prefix + n.name}' has shape [${t.shape.join(', ')}]; this model needs [${n.shape.join(', ')}]`;
  }
  return undefined;
}

/** Writes named tensors (as from `toNamedTensors`) into a flat buffer; every name must be present with its shape. */
export function fromNamedTensors(shapes: readonly LayerShape[], tensors: readonly NamedTensor[], flat: Float32Array, prefix = ''): void {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const problem = parameterShapeProblem(shapes, byName, prefix);
  if (problem) throw new RangeError(problem);
  const views = allocateParameters(shapes, flat);
  views.layers.forEach((l, i) => {
    for (const n of layerTensors(l.shape, i)) {
      const t = byName.get(prefix + n.name)!;
      if (!(t.data instanceof Float32Array)) throw new RangeError(`tensor '${t.name}' must be float32`);
      n.view(l).set(n.transposed ? transpose(t.data, l.shape.heads * l.shape.fout, l.shape.fin) : t.data);
    }
  });
}

/** Row-major (rows × cols) → (cols × rows). */
export function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

/**
 * [offset, length] in the flat buffer of what training must not change: the scoring vectors of
 * uniform-attention layers (their gradient is cleared before each optimizer step).
 */
export function frozenRanges(shapes: readonly LayerShape[]): Array<readonly [number, number]> {
  const ranges: Array<readonly [number, number]> = [];
  let off = 0;
  for (const s of shapes) {
    const hf = s.heads * s.fout;
    if (s.attention === 'uniform' && s.model === 'gatv2') ranges.push([off + (s.shareWeights ? 1 : 2) * (s.fin * hf + hf), hf]); // att follows lin_l and lin_r
    else if (s.attention === 'uniform') ranges.push([off + s.fin * hf, 2 * hf]); // a_src, a_trg follow W^T
    off += layerSize(s);
  }
  return ranges;
}
