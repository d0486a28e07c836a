import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { parseArgs, UsageError } from '../options/args';
import { describeJsonValue, parseJson } from '../io/jsonText';
import { readUserFile, type ByteBudget } from '../io/userFile';
import { SPEC_PATH_KEYS, specKey } from '../options/specSchema';
import { SPEC_KEYS, TRAIN_OPTIONS } from '../options/trainOptions';

/** A spec is a dozen options, under 1 KB: 1 MiB is room for any, and stops a device or a huge file early. */
export const SPEC_FILE_BUDGET: ByteBudget = { what: 'training spec', maxBytes: 1 << 20 };

/** A training spec as read: its flags, and the path and SHA-256 of the very bytes they came from. */
export interface TrainingSpec {
  readonly args: string[];
  /** Absolute. */
  readonly path: string;
  readonly sha256: string;
}

/**
 * Reads a training spec (`*.gat.json`) into `gat train` flags, placed before the command-line
 * flags so those win. Unknown keys, wrong types and values out of range are usage errors naming
 * the file and key. Read once: the SHA-256 run.json records is of the bytes parsed here, so a spec
 * saved again while the training starts cannot be recorded in place of the one it ran with.
 */
export async function readTrainingSpec(file: string): Promise<TrainingSpec> {
  let bytes: Uint8Array;
  try {
    bytes = await readUserFile(file, SPEC_FILE_BUDGET);
  } catch (err) {
    throw new UsageError(`cannot read the training spec: ${(err as Error).message}`);
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return { args: specTextToArgs(text, file), path: path.resolve(file), sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * The flags of a training spec's text (`file` names it in errors). Every value is checked here by
 * the CLI's own option parser, one key at a time, so that a bad value is reported with the file and
 * the key it came from; the flags returned always parse.
 */
export function specTextToArgs(text: string, file: string): string[] {
  let spec: unknown;
  try {
    spec = parseJson(text);
  } catch (err) {
    throw new UsageError(`the training spec ${file} is not valid JSON at ${(err as Error).message}`);
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new UsageError(`the training spec ${file} must be a JSON object of options, but its top-level value is ${describeJsonValue(spec)}`);
  const known = new Map(SPEC_KEYS.map((k) => [specKey(k), k]));
  const args: string[] = [];
  for (const [key, value] of Object.entries(spec)) {
    if (key === '$schema') continue;
    if (!known.has(key)) throw new UsageError(`the training spec ${file} has an unknown option '${key}'; known options: ${[...known.keys()].join(', ')}`);
    if (typeof value !== 'boolean' && typeof value !== 'number' && typeof value !== 'string') throw new UsageError(`the training spec ${file}: '${key}' must be a number, string or boolean`);
    if (typeof value === 'string' && value.includes('\0')) throw new UsageError(`the training spec ${file}: '${key}' has a NUL character in its value`);
    const flag = `--${key}=${typeof value === 'string' && SPEC_PATH_KEYS.has(known.get(key)!) ? againstSpecFolder(value, file) : value}`;
    try {
      parseArgs([flag], TRAIN_OPTIONS);
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`the training spec ${file}: '${key}': ${err.message}`);
      throw err;
    }
    args.push(flag);
  }
  return args;
}

/** A spec's path, relative to the spec's own folder (an empty one is left for the option parser to refuse). */
function againstSpecFolder(value: string, specFile: string): string {
  return value === '' || path.isAbsolute(value) ? value : path.resolve(path.dirname(path.resolve(specFile)), value);
}
