/** Options several `gat` commands share, declared once where they mean and say the same. */
import { BACKEND_CHOICES } from '../backend/registry';
import type { OptionSpec } from './args';

export const DATA_DIR_OPTION = { type: 'string', placeholder: 'dir', help: 'folder with the dataset files, if not bundled or cached' } as const satisfies OptionSpec;

/** `--run`: which run a command reads (explain, explain-server, faithfulness). */
export const RUN_OPTION = { type: 'string', placeholder: 'run', help: 'run folder, or the id of a run under ./runs (required)' } as const satisfies OptionSpec;

export const JSON_OPTION = { type: 'boolean', help: 'print one JSON object instead of text' } as const satisfies OptionSpec;

/** `--backend`: `auto` or a back end of the registry; what it is for is the command's to say. */
export function backendOption(help: string) {
  return { type: 'enum', values: BACKEND_CHOICES, default: 'auto', help } as const satisfies OptionSpec;
}
