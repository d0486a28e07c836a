/**
 * A GAT from what a .pth holds: pytorch-GAT's checkpoint dict (its `state_dict` plus the
 * architecture and run facts the original saves with it), or a bare state_dict whose tensor
 * shapes determine the architecture. Names and shapes must be exactly those of a pytorch-GAT
 * model (ours are the same); anything else is refused naming what does not fit.
 */
import type { NamedTensor } from '../artifacts/namedTensor';
import { architectureProblem } from '../model/architecture';
import { layerShapes, parameterNames, parameterShapeProblem } from '../model/parameters';
import { isPthTensor, PthError, type PthTensor, type PthValue } from './pthArchive';
import { isPygStateDict, isPygV2StateDict, pygToGatNames, pygV2ToGatNames } from './pygNames';

export interface ImportedGat {
  readonly format: 'pytorch-GAT checkpoint' | 'state_dict' | 'safetensors' | 'PyG GATConv' | 'PyG GATv2Conv';
  /** 'gatv2': GATv2 layers (PyG's GATv2Conv names); shareWeights: lin_l = lin_r. */
  readonly model: 'gat' | 'gatv2';
  readonly shareWeights: boolean;
  readonly params: NamedTensor[];
  readonly numFeatures: number;
  readonly numClasses: number;
  readonly heads: number[];
  readonly hidden: number[];
  readonly skipConnection: boolean;
  /** The dataset the checkpoint names (pytorch-GAT: 'CORA', 'PPI'), lower-cased. */
  readonly dataset?: string;
  /** The checkpoint's other plain entries (epochs, test accuracy, commit hash…), as JSON text. */
  readonly info: Record<string, string>;
}

const LAYER_WEIGHT = /^gat_net\.(\d+)\.(?:linear_proj|lin_l)\.weight$/;

export function gatFromPth(value: PthValue, file: string): ImportedGat {
  const fail = (message: string): never => {
    throw new PthError(`${file}: ${message}`);
  };
  if (!(value instanceof Map)) return fail("its pickle 'data.pkl' holds no dict of tensors (a state_dict or a pytorch-GAT checkpoint)");
  const checkpoint = value.get('state_dict');
  const stateDict = checkpoint instanceof Map ? checkpoint : value;
  let format: ImportedGat['format'] = checkpoint instanceof Map ? 'pytorch-GAT checkpoint' : 'state_dict';
  let tensors = new Map<string, PthTensor>();
  for (const [k, v] of stateDict) {
    if (typeof k !== 'string') fail("has a 'state_dict' key that is not a string");
    if (!isPthTensor(v)) fail(`entry '${String(k)}' of the state_dict is not a tensor`);
    tensors.set(k as string, v as PthTensor);
  }
  // A stack of PyTorch Geometric GATConv layers: the same parameters under PyG's names.
  let model: ImportedGat['model'] = 'gat';
  let shareWeights = false;
  if (isPygStateDict([...tensors.keys()])) {
    tensors = pygToGatNames(tensors, file);
    format = 'PyG GATConv';
  } else if (isPygV2StateDict([...tensors.keys()])) {
    const v2 = pygV2ToGatNames(tensors, file);
    tensors = v2.tensors;
    format = 'PyG GATv2Conv';
    model = 'gatv2';
    shareWeights = v2.shared;
  } else if ([...tensors.keys()].some((k) => /^gat_net\.\d+\.lin_l\.weight$/.test(k))) {
    // our own GATv2 (a safetensors binary or an exported state_dict): lin_r absent means shared
    model = 'gatv2';
    shareWeights = ![...tensors.keys()].some((k) => /^gat_net\.\d+\.lin_r\.weight$/.test(k));
  }
  if (tensors.size === 0) fail(format === 'state_dict' ? "its pickle 'data.pkl' holds neither a state_dict nor a pytorch-GAT checkpoint (no tensors)" : "has an empty 'state_dict'");

  // ── the architecture, from the shapes: W [NH·F, F_in], scoring vectors [1, NH, F] ──
  const layers = [...tensors.keys()].flatMap((k) => (LAYER_WEIGHT.exec(k) ? [Number(LAYER_WEIGHT.exec(k)![1])] : [])).sort((a, b) => a - b);
  if (layers.length === 0 || layers.some((l, i) => l !== i)) fail(`is not a pytorch-GAT model: no tensor 'gat_net.<layer>.linear_proj.weight' (or a GATv2's lin_l.weight) for layers numbered from 0 (it has ${[...tensors.keys()].slice(0, 6).join(', ')}${tensors.size > 6 ? ', …' : ''})`);
  const heads: number[] = [];
  const fout: number[] = [];
  const scoringName = model === 'gatv2' ? 'att' : 'scoring_fn_target';
  for (const l of layers) {
    const scoring = tensors.get(`gat_net.${l}.${scoringName}`);
    if (!scoring || scoring.shape.length !== 3 || scoring.shape[0] !== 1) fail(`layer ${l} has no tensor 'gat_net.${l}.${scoringName}' of shape [1, heads, features]`);
    heads.push(scoring!.shape[1]);
    fout.push(scoring!.shape[2]);
  }
  const numFeatures = tensors.get(model === 'gatv2' ? 'gat_net.0.lin_l.weight' : 'gat_net.0.linear_proj.weight')!.shape[1];
  const skipConnection = [...tensors.keys()].some((k) => /^gat_net\.\d+\.skip_proj\.weight$/.test(k)) || value.get('add_skip_connection') === true;
  const hidden = fout.slice(0, -1);
  const numClasses = fout[fout.length - 1];
  // The same check of sizes as a training config's: `gat inspect` refuses what `gat import` would.
  const sizes = architectureProblem(heads, hidden, numFeatures, numClasses);
  if (sizes) fail(`its tensors describe no GAT that can run: ${sizes}`);
  const shapes = layerShapes(numFeatures, numClasses, heads, hidden, skipConnection, 'learned', model, shareWeights);
  const expected = parameterNames(shapes);
  const names = new Set(expected.map((e) => e.name));
  // The original creates skip_proj on every layer but adds the input as is where the sizes match: unused there.
  const unused = shapes.flatMap((s, l) => (s.skip === 'identity' && tensors.has(`gat_net.${l}.skip_proj.weight`) ? [`gat_net.${l}.skip_proj.weight`] : []));
  const extra = [...tensors.keys()].filter((k) => !names.has(k) && !unused.includes(k));
  if (extra.length) fail(`has tensors a pytorch-GAT model of this shape does not: ${extra.map((k) => `'${k}'`).join(', ')}`);
  const mismatch = parameterShapeProblem(shapes, tensors);
  if (mismatch) fail(`${mismatch} (a GAT with heads [${heads.join(', ')}])`);
  const params = expected.map(({ name, shape }) => ({ name, shape, data: tensors.get(name)!.data }));

  // ── what the original's checkpoint says of itself ──
  const info: Record<string, string> = unused.length ? { unusedTensors: JSON.stringify(unused) } : {};
  if (checkpoint instanceof Map) {
    for (const [k, v] of value) {
      if (typeof k !== 'string' || k === 'state_dict' || !isPlain(v)) continue;
      info[k] = JSON.stringify(v);
    }
    const declared = value.get('num_heads_per_layer');
    if (Array.isArray(declared) && declared.join() !== heads.join()) fail(`says 'num_heads_per_layer' [${declared.join(', ')}] but its tensors have heads [${heads.join(', ')}]`);
  }
  const name = value.get('dataset_name');
  return { format, model, shareWeights, params, numFeatures, numClasses, heads, hidden, skipConnection, ...(typeof name === 'string' && name ? { dataset: name.toLowerCase() } : {}), info };
}

/** Numbers, strings, booleans and lists of them: what a checkpoint's facts are made of. */
function isPlain(v: PthValue): boolean {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return true;
  return Array.isArray(v) && v.length <= 64 && v.every((x) => x === null || typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean');
}

/** The same for tensors already read (a safetensors model): names and shapes decide, as for a .pth. */
export function gatFromTensors(params: readonly NamedTensor[], file: string): ImportedGat {
  return gatFromPth(new Map<PthValue, PthValue>(params.map((p) => [p.name, { kind: 'pthTensor', shape: [...p.shape], data: p.data as Float32Array, dtype: 'float32' }])), file);
}
