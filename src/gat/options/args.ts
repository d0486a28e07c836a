/**
 * A small, strict command-line parser for the `gat` CLI. Every option is declared once with
 * its type and allowed range; snake_case (the original's spelling) and kebab-case both work;
 * bad values are rejected before any work with a message naming the flag and the range.
 */

export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

interface OptionBase {
  readonly help: string;
  /** Extra spellings besides the kebab and snake forms of the key. */
  readonly aliases?: readonly string[];
}

export type OptionSpec =
  | (OptionBase & { readonly type: 'boolean' })
  | (OptionBase & { readonly type: 'string'; readonly default?: string; readonly placeholder?: string })
  /** Repeatable: each occurrence adds one value, in order (none given: an empty list). */
  | (OptionBase & { readonly type: 'strings'; readonly placeholder?: string })
  | (OptionBase & { readonly type: 'enum'; readonly values: readonly string[]; readonly default?: string })
  | (OptionBase & { readonly type: 'int' | 'number'; readonly min: number; readonly max: number; readonly default?: number; readonly exclusiveMin?: boolean });

export type OptionTable = Readonly<Record<string, OptionSpec>>;

type ValueOf<S extends OptionSpec> = S extends { type: 'boolean' } ? boolean : S extends { type: 'strings' } ? string[] : S extends { type: 'int' | 'number' } ? number : string;

export type Parsed<T extends OptionTable> = { -readonly [K in keyof T]: T[K] extends { default: unknown } | { type: 'boolean' } | { type: 'strings' } ? ValueOf<T[K]> : ValueOf<T[K]> | undefined };

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/_/g, '-');
const snake = (key: string): string => kebab(key).replace(/-/g, '_');

export function parseArgs<T extends OptionTable>(argv: readonly string[], table: T): Parsed<T> {
  const byName = new Map<string, string>();
  for (const key of Object.keys(table)) {
    for (const name of [kebab(key), snake(key), ...(table[key].aliases ?? [])]) byName.set(name, key);
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) {
    out[key] = spec.type === 'boolean' ? false : spec.type === 'strings' ? [] : 'default' in spec ? spec.default : undefined;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}' (options start with --; see --help)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const key = byName.get(name);
    if (!key) throw new UsageError(`unknown option --${name}${suggest(name, [...byName.keys()])} (see --help)`);
    const spec = table[key];
    if (spec.type === 'boolean') {
      if (eq >= 0) {
        const v = arg.slice(eq + 1).toLowerCase();
        if (!['true', 'false', '1', '0'].includes(v)) throw new UsageError(`--${name} is a switch: give it alone, or =true / =false`);
        out[key] = v === 'true' || v === '1';
      } else {
        out[key] = true;
      }
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) throw new UsageError(`--${name} needs a value`);
      raw = argv[++i];
    }
    if (spec.type === 'strings') {
      if (raw === '') throw new UsageError(`--${name} must not be empty`);
      (out[key] as string[]).push(raw);
    } else out[key] = convert(name, spec, raw);
  }
  return out as Parsed<T>;
}

function convert(name: string, spec: OptionSpec, raw: string): unknown {
  switch (spec.type) {
    case 'string':
      if (raw === '') throw new UsageError(`--${name} must not be empty`);
      return raw;
    case 'enum':
      if (!spec.values.includes(raw)) throw new UsageError(`--${name} must be one of ${spec.values.join(', ')}; got '${raw}'`);
      return raw;
    case 'int':
    case 'number': {
      const v = Number(raw);
      const kind = spec.type === 'int' ? 'an integer' : 'a number';
      const range = `${spec.exclusiveMin ? '>' : '≥'} ${spec.min} and ≤ ${spec.max}`;
      if (raw.trim() === '' || !Number.isFinite(v) || (spec.type === 'int' && !Number.isInteger(v))) {
        throw new UsageError(`--${name} must be ${kind} ${range}; got '${raw}'`);
      }
      if ((spec.exclusiveMin ? v <= spec.min : v < spec.min) || v > spec.max) throw new UsageError(`--${name} must be ${range}; got ${raw}`);
      return v;
    }
    default:
      return raw;
  }
}

function suggest(name: string, names: string[]): string {
  const close = names.find((n) => n.includes(name) || name.includes(n));
  return close ? ` (did you mean --${close}?)` : '';
}

/** Help text: one line per option with its spellings, range and default. */
export function formatHelp(usage: string, description: string, table: OptionTable): string {
  const lines = [`usage: ${usage}`, '', description, '', 'options:'];
  for (const [key, spec] of Object.entries(table)) {
    const names = [...new Set([kebab(key), snake(key)])].map((n) => `--${n}`).join(', ');
    const value = spec.type === 'boolean' ? '' : spec.type === 'enum' ? ` <${spec.values.join('|')}>` : spec.type === 'string' || spec.type === 'strings' ? ` <${spec.placeholder ?? 'value'}>` : ` <${spec.type}>`;
    const details: string[] = [];
    if (spec.type === 'int' || spec.type === 'number') details.push(`${spec.exclusiveMin ? '>' : ''}${spec.min}..${spec.max}`);
    if ('default' in spec && spec.default !== undefined) details.push(`default ${spec.default}`);
    if (spec.type === 'strings') details.push('repeatable');
    lines.push(`  ${names}${value}`);
    lines.push(`      ${spec.help}${details.length ? ` (${details.join('; ')})` : ''}`);
  }
  lines.push('  --help', '      show this help');
  return lines.join('\n');
}
