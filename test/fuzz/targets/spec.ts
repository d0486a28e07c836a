/**
 * Training specs (`*.gat.json`): specTextToArgs (src/gat/run/specFile.ts) turns the text into
 * flags, which then go through the CLI's train option parser as `gat train --spec` does. Accepted
 * means a fully parsed options object; a rejection is a UsageError naming the file and the key.
 */
import * as fc from 'fast-check';
import { parseArgs, UsageError, type OptionSpec } from '../../../src/gat/options/args';
import { specKey } from '../../../src/gat/options/specSchema';
import { SPEC_KEYS, TRAIN_OPTIONS } from '../../../src/gat/options/trainOptions';
import { specTextToArgs } from '../../../src/gat/run/specFile';
import { lazy, mutatedSeeds } from '../mutate';
import { FUZZ_FILE, require, type FuzzTarget } from '../target';

const SNAKE_KEYS = SPEC_KEYS.map(specKey);
const TABLE = TRAIN_OPTIONS as Readonly<Record<string, OptionSpec>>;

/** A JSON object written out key by key, so '__proto__' stays a key and raw number tokens stay as written. */
function objectText(entries: ReadonlyArray<readonly [string, string]>): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}`;
}

/** A good value for an option, as JSON text. */
function goodValue(key: string, n: number): string {
  const spec = TABLE[key];
  switch (spec.type) {
    case 'boolean': return n % 2 ? 'true' : 'false';
    case 'enum': return JSON.stringify(spec.values[n % spec.values.length]);
    case 'string': return JSON.stringify(['cora', 'citeseer', 'data', '/tmp/out'][n % 4]);
    case 'strings': return JSON.stringify(['cora']);
    default: return String(spec.type === 'int' ? Math.min(spec.max, Math.max(spec.min + 1, n)) : (spec.min + spec.max) / 2);
  }
}

export const specSeeds = lazy((): Uint8Array[] => {
  const all = SPEC_KEYS.map((k, i) => [specKey(k), goodValue(k, i + 3)] as const);
  return [
    objectText([['num_of_epochs', '50'], ['should_test', 'true'], ['lr', '0.01'], ['dataset_name', '"cora"']]),
    objectText([['$schema', '"../media/schemas/trainingSpec.schema.json"'], ...all]),
    objectText(all.slice(0, 4)),
    '{}',
  ].map((t) => new TextEncoder().encode(t));
});

/** Every kind of JSON value, as text: huge and tiny numbers, numbers as strings, NaN-like strings, nesting. */
const VALUE_TEXT = [
  'null', 'true', 'false', '0', '-0', '1', '-1', '0.5', '1.5', '42', '1e3', '1e21', '1e308', '1e400', '-1e400', '5e-324', '123456789012345678901234567890', '2147483647', '2147483648', '100000', '100001',
  '""', '" "', '"0"', '"1"', '"true"', '"yes"', '"NaN"', '"Infinity"', '"-Infinity"', '"0x10"', '"0b1"', '"1e3"', '" 5 "', '"1_000"', '"5,"', '"\\u0000"', '"a\\u0000b"', '"\\n"', '"=x"', '"--seed=1"',
  '"cora"', '"auto"', '"cpu"', '"json"', '"../../etc"', '[]', '[1]', '{}', '{"a": 1}', '{"__proto__": {"x": 1}}', '[[[[[[[[[[1]]]]]]]]]]',
];
const valueText = fc.oneof(
  fc.constantFrom(...VALUE_TEXT),
  fc.double().map((d) => (Number.isFinite(d) ? String(d) : '1e999')),
  fc.integer().map(String),
  fc.string({ maxLength: 10 }).map((s) => JSON.stringify(s)),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'null'),
);
const keyText = fc.oneof(
  { arbitrary: fc.constantFrom(...SNAKE_KEYS), weight: 6 },
  { arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '$schema', 'spec', 'progress', 'numOfEpochs', 'num-of-epochs', 'NUM_OF_EPOCHS', '', ' seed', 'seed '), weight: 2 },
  { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
);

const generated: fc.Arbitrary<Uint8Array> = fc
  .array(fc.tuple(keyText, valueText), { maxLength: 8 })
  .map((entries) => new TextEncoder().encode(objectText(entries)));

/** Checks a parsed options object field by field against the table. */
function checkOptions(opts: Record<string, unknown>): void {
  for (const [key, spec] of Object.entries(TABLE)) {
    const v = opts[key];
    const hasDefault = 'default' in spec && spec.default !== undefined;
    switch (spec.type) {
      case 'boolean':
        require(typeof v === 'boolean', `${key} is ${typeof v}`);
        break;
      case 'enum':
        require(v === undefined ? !hasDefault : spec.values.includes(v as string), `${key} is ${String(v)}`);
        break;
      case 'string':
        require(v === undefined ? !hasDefault : typeof v === 'string' && v.length > 0 && !v.includes('\0'), `${key} is ${String(v)}`);
        break;
      case 'strings':
        require(Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0), `${key} is ${String(v)}`);
        break;
      default: {
        if (v === undefined) {
          require(!hasDefault, `${key} is missing`);
          break;
        }
        const n = v as number;
        require(typeof v === 'number' && Number.isFinite(n) && (spec.type !== 'int' || Number.isInteger(n)), `${key} is ${String(v)}`);
        require((spec.exclusiveMin ? n > spec.min : n >= spec.min) && n <= spec.max, `${key} ${n} outside its range`);
      }
    }
  }
}

export const specTarget: FuzzTarget = {
  name: 'spec',
  description: 'specTextToArgs (src/gat/run/specFile.ts) then parseArgs(…, TRAIN_OPTIONS): training specs',
  run(input) {
    const args = specTextToArgs(new TextDecoder().decode(input), FUZZ_FILE);
    checkOptions(parseArgs(args, TRAIN_OPTIONS) as Record<string, unknown>);
  },
  isOwnError: (e) => e instanceof UsageError,
  seeds: specSeeds,
  generate: fc.oneof({ arbitrary: generated, weight: 3 }, { arbitrary: mutatedSeeds(specSeeds), weight: 1 }),
};
