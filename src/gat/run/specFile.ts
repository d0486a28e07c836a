import { promises as fs } from 'node:fs';
import { UsageError } from '../cli/args';
import { specKey } from '../cli/specSchema';
import { SPEC_KEYS } from '../cli/trainOptions';

/**
 * Reads a training spec (`*.gat.json`) into `gat train` flags, placed before the command-line
 * flags so those win. Unknown keys and wrong types are usage errors naming the file and key;
 * the values themselves are then checked by the CLI parser with its ranges.
 */
export async function specToArgs(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the training spec ${file}: ${(err as Error).message}`);
  }
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`the training spec ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new UsageError(`the training spec ${file} must be a JSON object of options`);
  const known = new Map(SPEC_KEYS.map((k) => [specKey(k), k]));
  const args: string[] = [];
  for (const [key, value] of Object.entries(spec)) {
    if (key === '$schema') continue;
    if (!known.has(key)) throw new UsageError(`the training spec ${file} has an unknown option '${key}'; known options: ${[...known.keys()].join(', ')}`);
    const flag = `--${key}`;
    if (typeof value === 'boolean') args.push(`${flag}=${value}`);
    else if (typeof value === 'number' || typeof value === 'string') args.push(`${flag}=${value}`);
    else throw new UsageError(`the training spec ${file}: '${key}' must be a number, string or boolean`);
  }
  return args;
}
