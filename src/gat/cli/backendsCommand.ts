import { availableBackends } from '../backend/backends';
import { formatHelp, parseArgs, type OptionTable } from './args';

const BACKENDS_OPTIONS = {
  json: { type: 'boolean', help: 'print one JSON object instead of text' },
} as const satisfies OptionTable;

export const BACKENDS_HELP = formatHelp('gat backends [--json]', 'List the TensorFlow.js back ends, in the order auto tries them, and why any is unavailable.', BACKENDS_OPTIONS);

export async function backendsCommand(argv: readonly string[], write: (s: string) => void): Promise<number> {
  const opts = parseArgs(argv, BACKENDS_OPTIONS);
  const list = await availableBackends();
  if (opts.json) {
    write(JSON.stringify({ backends: list, auto: list.find((b) => b.available)?.name ?? null }) + '\n');
    return 0;
  }
  const auto = list.find((b) => b.available)?.name;
  for (const b of list) write(`- ${b.name}: ${b.available ? `available${b.name === auto ? ' (auto picks this one)' : ''}` : `not available: ${b.reason ?? 'unknown reason'}`}\n`);
  return 0;
}
