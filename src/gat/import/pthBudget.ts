/**
 * What reading a .pth may cost, decided from the sizes the file declares before anything is
 * inflated or copied. A .pth names its tensors as views of storages, and nothing stops many large
 * views of one storage, or a small view of a storage that must be inflated whole: each entry
 * alone looks modest while all together reach gigabytes. So the budget counts everything reading
 * allocates: the float32 copy of every tensor and every storage that must be decompressed.
 */
import type { TensorRef } from '../data/pickle';
import type { ZipEntry } from '../data/zipDirectory';
import { UsageError } from '../options/args';

/**
 * The most a model file may take to read, float32 tensors and inflated storages together.
 * pytorch-GAT's PPI model (the largest GAT of the paper) is 15 MB; 128 MiB is eight times that,
 * and keeps a hostile file's peak near 200 MB however it is built.
 */
export const MAX_MODEL_BYTES = 128 * 1024 * 1024;

/** Raises MAX_MODEL_BYTES for a trusted model that is larger: a number of bytes. */
export const MODEL_BYTES_ENV = 'GAT_MAX_MODEL_BYTES';

/**
 * Storages that must be inflated may take at most this many times the float32 bytes of the
 * tensors cut from them. A float64 storage is twice its float32 copy; beyond a few times, the
 * tensors use a sliver of what would be decompressed. (Stored storages are read in place, free.)
 */
export const STORAGE_FACTOR = 4;

/**
 * A state_dict's pickle holds names, shapes and a few facts: 1 to 2 KB for pytorch-GAT's models.
 * Read as JavaScript values a pickle byte can cost ~250 bytes (one empty dict per byte), so 256 KiB
 * keeps its worst case near 70 MB.
 */
export const MAX_PICKLE_BYTES = 256 * 1024;

/** The byte order entry holds 'little' or 'big'. */
export const MAX_BYTEORDER_BYTES = 64;

const WIDTH = { float32: 4, float64: 8, float16: 2 } as const;

/** The byte limit for reading a model file: MAX_MODEL_BYTES, or GAT_MAX_MODEL_BYTES when set (digits only; else a UsageError). */
export function modelByteLimit(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[MODEL_BYTES_ENV];
  if (raw === undefined || raw === '') return MAX_MODEL_BYTES;
  const bytes = /^[0-9]{1,16}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new UsageError(`${MODEL_BYTES_ENV} is '${raw.slice(0, 40)}': set it to a number of bytes (digits only, e.g. ${2 * MAX_MODEL_BYTES}), or unset it for the default of ${MAX_MODEL_BYTES}`);
  }
  return bytes;
}

/** Why a tensor cannot be cut from its storage (shape beyond it, or a stride that reads past its end), or undefined. */
export function viewProblem(t: TensorRef, file: string): string | undefined {
  const { shape, stride, offset } = t;
  const { numel, key } = t.storage;
  const count = elementCount(t);
  if (count > numel) return `${file}: a tensor of shape [${shape.join(', ')}] cannot fit storage '${key}' of ${numel} elements`;
  if (count > 0) {
    const last = offset + shape.reduce((a, d, k) => a + (d - 1) * stride[k], 0);
    if (last >= numel) return `${file}: a tensor of shape [${shape.join(', ')}], offset ${offset} and strides [${stride.join(', ')}] reads past storage '${key}' (${numel} elements)`;
  }
  return undefined;
}

export function elementCount(t: TensorRef): number {
  return t.shape.reduce((a, b) => a * b, 1);
}

/**
 * Checks every tensor and storage the pickle names, before anything is inflated: each view fits
 * its storage, each storage's entry is there with the size its elements need, and the total stays
 * within `limit`. Returns undefined when reading may go ahead, else the one-line refusal.
 */
export function budgetProblem(file: string, tensors: readonly TensorRef[], storageEntry: (key: string) => ZipEntry | undefined, limit: number): string | undefined {
  let floats = 0;
  const inflated = new Map<string, number>();
  for (const t of tensors) {
    const bad = viewProblem(t, file);
    if (bad) return bad;
    floats += 4 * elementCount(t);
    const { key, numel, dtype } = t.storage;
    if (inflated.has(key)) continue;
    const entry = storageEntry(key);
    if (!entry) return `${file}: storage '${key}' (data/${key}) is missing from the archive`;
    if (entry.size !== numel * WIDTH[dtype]) return `${file}: storage '${key}' has ${entry.size} bytes, but ${numel} × ${dtype} need ${numel * WIDTH[dtype]} (truncated or damaged)`;
    inflated.set(key, entry.method === 0 ? 0 : entry.size);
  }
  const inflate = [...inflated.values()].reduce((a, b) => a + b, 0);
  if (floats + inflate > limit) {
    const parts = inflate > 0 ? `${byteText(floats)} for its tensors as float32 and ${byteText(inflate)} to decompress its storages` : `${byteText(floats)} for its tensors as float32`;
    return `${file}: reading it would take ${parts}, more than the ${byteText(limit)} a model file may take (a GAT is a few MB). If you trust this file and the model is that large, raise the limit with ${MODEL_BYTES_ENV}=<bytes>`;
  }
  if (inflate > STORAGE_FACTOR * floats) {
    const keys = [...inflated].filter(([, n]) => n > 0).map(([k]) => `'${k}'`);
    const named = keys.length > 3 ? `${keys.slice(0, 3).join(', ')}, …` : keys.join(', ');
    return `${file}: its compressed storages (${named}) inflate to ${byteText(inflate)} for tensors that need ${byteText(floats)} (more than ${STORAGE_FACTOR}×): the tensors view a sliver of what would have to be decompressed. Save the model again with torch.save(model.state_dict()), which stores tensors uncompressed`;
  }
  return undefined;
}

/** Bytes for a message: exact below 1 MiB, else MiB or GiB with one decimal. */
export function byteText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${bytes} bytes`;
  return bytes < 1024 ** 3 ? `${(bytes / 1024 ** 2).toFixed(1)} MiB` : `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
