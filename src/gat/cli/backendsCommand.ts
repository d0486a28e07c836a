import { availableParallelism } from 'node:os';
import { availableBackends } from '../backend/backends';
import type { OptionTable } from '../options/args';
import { JSON_OPTION } from '../options/commonOptions';
import { defineCommand } from './command';

const BACKENDS_OPTIONS = {
  json: JSON_OPTION,
} as const satisfies OptionTable;

export const backendsCommand = defineCommand({
  summary: 'list the TensorFlow.js back ends and which one auto picks',
  usage: 'gat backends [--json]',
  description: 'List the back ends in the order auto tries them, the WebGPU adapter, and why any is unavailable.',
  options: BACKENDS_OPTIONS,
  async run(opts, write) {
    const list = await availableBackends();
    const auto = list.find((b) => b.available && !b.software)?.name;
    if (opts.json) {
      write(JSON.stringify({ backends: list, auto: auto ?? null, defaultThreads: availableParallelism() }) + '\n');
      return 0;
    }
    for (const b of list) {
      const state = b.available ? `available${b.name === auto ? ' (auto picks this one)' : b.software ? ` with a software adapter (--backend ${b.name} only; auto skips it)` : ''}` : `not available: ${b.reason ?? 'unknown reason'}`;
      write(`- ${b.name}: ${state}${b.adapter ? `\n    adapter: ${b.adapter}` : ''}\n`);
    }
    write(`threads: the CPU back ends train on ${availableParallelism()} (every core here) unless told otherwise: --threads N, a spec's "threads", or the gat.threads setting\n`);
    return 0;
  },
});
