import type { OptionSpec } from './args';
import { SPEC_KEYS, TRAIN_OPTIONS } from './trainOptions';

/** snake_case, the original's spelling, is what spec files use. */
export function specKey(optionKey: string): string {
  return optionKey.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Options whose value is a path. In a spec a relative one is resolved against the spec file's own
 * folder (not the working folder), so a spec means the same wherever `gat train` is started.
 */
export const SPEC_PATH_KEYS: ReadonlySet<string> = new Set(['dataDir', 'out', 'resume']);

const RELATIVE_PATH_NOTE = " In a spec, a relative path is resolved against the spec file's folder.";

/** The JSON schema of a training spec (`*.gat.json`), derived from the CLI options. */
export function specSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = { $schema: { type: 'string' } };
  for (const key of SPEC_KEYS) {
    const property = propertySchema((TRAIN_OPTIONS as Record<string, OptionSpec>)[key]);
    properties[specKey(key)] = SPEC_PATH_KEYS.has(key) ? { ...property, description: `${String(property.description)}.${RELATIVE_PATH_NOTE}` } : property;
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'GAT Explorer training spec',
    description: 'Options for `gat train` (and the GAT: Train… command). Any option left out takes its default.',
    type: 'object',
    additionalProperties: false,
    properties,
  };
}

function propertySchema(spec: OptionSpec): Record<string, unknown> {
  const base: Record<string, unknown> = { description: spec.help };
  switch (spec.type) {
    case 'boolean':
      return { ...base, type: 'boolean', default: false };
    case 'enum':
      return { ...base, type: 'string', enum: [...spec.values], default: spec.default };
    case 'string':
      return { ...base, type: 'string', minLength: 1, ...(spec.default !== undefined ? { default: spec.default } : {}) };
    case 'strings':
      return { ...base, type: 'array', items: { type: 'string', minLength: 1 }, default: [] };
    case 'int':
    case 'number':
      return {
        ...base,
        type: spec.type === 'int' ? 'integer' : 'number',
        ...(spec.exclusiveMin ? { exclusiveMinimum: spec.min } : { minimum: spec.min }),
        maximum: spec.max,
        default: spec.default,
      };
  }
}
