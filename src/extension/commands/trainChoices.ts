/**
 * Train…'s model step, without VS Code: the three networks a user picks between, the CLI flags
 * each means, and the back ends that can train it ('auto' picks one of those itself).
 */
import { BACKEND_CHOICES, backendsFor } from '../../gat/backend/registry';

export interface ModelChoice {
  readonly label: string;
  readonly description: string;
  readonly args: readonly string[];
  readonly model: 'gat' | 'gatv2';
  /** For the progress title. */
  readonly title: string;
}

export const MODEL_CHOICES: readonly ModelChoice[] = [
  { label: 'GAT', description: 'learned attention (Veličković et al.), every back end', args: ['--model', 'gat', '--attention', 'learned'], model: 'gat', title: 'GAT' },
  { label: 'GATv2', description: "dynamic attention (Brody et al.; PyG's GATv2Conv): the TensorFlow.js back ends", args: ['--model', 'gatv2'], model: 'gatv2', title: 'GATv2' },
  { label: 'GAT, uniform attention', description: "every neighbour weighted 1/(in-degree + 1): the paper's control, to compare against", args: ['--model', 'gat', '--attention', 'uniform'], model: 'gat', title: 'GAT (uniform attention)' },
];

/** The back ends to offer for a model: auto first, then those that train it, in the registry's order. */
export function backendChoicesFor(model: 'gat' | 'gatv2'): string[] {
  const able = new Set<string>(backendsFor(model));
  return BACKEND_CHOICES.filter((b) => b === 'auto' || able.has(b));
}
