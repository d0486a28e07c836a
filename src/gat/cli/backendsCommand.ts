import { availableBackends } from '../backend/backends';
import { formatHelp, parseArgs, type OptionTable } from '../options/args';

const BACKENDS_OPTIONS = {
  json: { type: 'boolean', help: 'print one JSON object instead of text' },
} as const satisfies OptionTable;

export const BACKENDS_HELP = formatHelp('gat backends [--json]', 'List the back ends in the order auto tries them, the WebGPU adapter, and why any is unavailable.', BACKENDS_OPTIONS);

export async function backendsCommand(argv: readonly string[], write: (s: string) => void): Promise<number> {
  const opts = parseArgs(argv, BACKENDS_OPTIONS);
  const list = await availableBackends();
  if (opts.json) {
    write(JSON.stringify({ backends: list, auto: list.find((b) => b.available && !b.software)?.name ?? null }) + '\n');
    return 0;
  }
  const auto = list.find((b) => b.available && !b.software)?.name;
  for (const b of list) {
    const state = b.available ? `available${b.name === auto ? ' (auto picks this one)' : b.software ? ' with a software adapter (--backend webgpu only; auto skips it)' : ''}` : `not available: ${b.reason ?? 'unknown reason'}`;
    write(`- ${b.name}: ${state}${b.adapter ? `\n    adapter: ${b.adapter}` : ''}\n`);
  }
  return 0;
}
