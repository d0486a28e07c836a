/**
 * Field schemas: small run-time checks that also carry their TypeScript type, so a message is
 * declared once and both its type (`Infer`, `MessageUnion`) and its guard (`messageGuard`) are
 * derived from that one declaration and cannot drift apart. Pure: no vscode, no DOM.
 */

/** Type-level only: the key under which a field carries its TypeScript type (never set at run time). */
declare const fieldType: unique symbol;

/** One field's check: why a value is not a T, or undefined when it is one. */
export interface Field<T, Optional extends boolean = false> {
  readonly check: (value: unknown) => string | undefined;
  /** An optional field may be absent (or undefined); when present it must pass `check`. */
  readonly optional: Optional;
  readonly [fieldType]?: T;
}

/** A record of named fields: one message's fields, or a nested object's. */
export type Shape = Readonly<Record<string, Field<unknown, boolean>>>;

/** Messages by their `type`, each with its fields (`type` itself is not listed). */
export type MessageShapes = Readonly<Record<string, Shape>>;

type TypeOf<F> = F extends Field<infer T, boolean> ? T : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The object type a shape checks for: required fields, then optional ones, all readonly. */
export type Infer<S extends Shape> = Simplify<
  { readonly [K in keyof S as S[K] extends Field<unknown, true> ? never : K]: TypeOf<S[K]> } & { readonly [K in keyof S as S[K] extends Field<unknown, true> ? K : never]?: TypeOf<S[K]> }
>;

/** The TypeScript type a field checks for. */
export type FieldValue<F extends Field<unknown, boolean>> = TypeOf<F>;

/** One declared message: its `type` and its fields. */
export type MessageOf<D extends MessageShapes, K extends keyof D & string> = Simplify<{ readonly type: K } & Infer<D[K]>>;

/** Every declared message, as a union discriminated by `type`. */
export type MessageUnion<D extends MessageShapes> = { [K in keyof D & string]: MessageOf<D, K> }[keyof D & string];

/** Strings are capped unless a field says otherwise: nothing a page sends back needs more. */
export const DEFAULT_MAX_LENGTH = 1024;

function field<T>(check: (value: unknown) => string | undefined): Field<T> {
  return { check, optional: false };
}

/** A short, safe description of a rejected value (never the value of a string, which may be huge). */
function described(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (typeof value === 'number') return `the number ${value}`;
  return `a value of type ${typeof value}`;
}

/** A string of at most `max` characters (default DEFAULT_MAX_LENGTH), matching `pattern` when given. */
export function str(options: { readonly max?: number; readonly pattern?: RegExp } = {}): Field<string> {
  const max = options.max ?? DEFAULT_MAX_LENGTH;
  return field((v) => {
    if (typeof v !== 'string') return `must be a string; got ${described(v)}`;
    if (v.length > max) return `must be at most ${max} characters; got ${v.length}`;
    if (options.pattern && !options.pattern.test(v)) return `must match ${options.pattern}`;
    return undefined;
  });
}

/** A safe integer from `min` to `max`. */
export function int(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Field<number> {
  return field((v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max ? undefined : `must be an integer from ${min} to ${max}; got ${described(v)}`));
}

/** 0, 1, 2, …: node ids, graph indices, epochs. */
export const nonNegInt: Field<number> = int(0);

/** 1, 2, 3, …: layers (1-based). */
export const posInt: Field<number> = int(1);

/**
 * Any number, NaN included: for fields whose range depends on data the guard cannot see (a t-SNE
 * perplexity depends on the graph), so the handler checks it and tells the user what is allowed.
 */
export function num(): Field<number> {
  return field((v) => (typeof v === 'number' ? undefined : `must be a number; got ${described(v)}`));
}

export const bool: Field<boolean> = field((v) => (typeof v === 'boolean' ? undefined : `must be true or false; got ${described(v)}`));

/** One of a fixed list of strings or numbers (compared with ===). */
export function oneOf<V extends string | number>(...values: readonly V[]): Field<V> {
  const allowed = new Set<unknown>(values);
  return field((v) => (allowed.has(v) ? undefined : `must be one of ${values.map((a) => JSON.stringify(a)).join(', ')}; got ${described(v)}`));
}

/** The field's value, or null. */
export function nullable<T>(inner: Field<T>): Field<T | null> {
  return field((v) => (v === null ? undefined : inner.check(v)));
}

/** The field may be left out. */
export function optional<T>(inner: Field<T>): Field<T, true> {
  return { check: inner.check, optional: true };
}

/** A fixed-length array, one field per position. */
export function tuple<F extends readonly Field<unknown>[]>(...fields: F): Field<{ readonly [K in keyof F]: TypeOf<F[K]> }> {
  return field((v) => {
    if (!Array.isArray(v) || v.length !== fields.length) return `must be an array of ${fields.length}; got ${described(v)}`;
    const problems = fields.map((f, i) => f.check(v[i]));
    const at = problems.findIndex((p) => p !== undefined);
    return at < 0 ? undefined : `[${at}] ${problems[at]}`;
  });
}

/** An array of at most `max` items, each checked by `item` (the first bad one is named by its index). */
export function arrayOf<T>(item: Field<T>, max: number): Field<readonly T[]> {
  return field((v) => {
    if (!Array.isArray(v)) return `must be an array; got ${described(v)}`;
    if (v.length > max) return `must have at most ${max} items; got ${v.length}`;
    for (let i = 0; i < v.length; i++) {
      const problem = item.check(v[i]);
      if (problem !== undefined) return `[${i}] ${problem}`;
    }
    return undefined;
  });
}

/** One of several object shapes, told apart by the string in field `key` (as messages are by `type`). */
export type TaggedUnion<K extends string, D extends MessageShapes> = { [T in keyof D & string]: Simplify<{ readonly [P in K]: T } & Infer<D[T]>> }[keyof D & string];

/** An object whose `key` names one of `shapes`, with exactly that shape's other fields. */
export function tagged<K extends string, D extends MessageShapes>(key: K, shapes: D): Field<TaggedUnion<K, D>> {
  return field((v) => {
    if (!isPlainObject(v)) return `must be an object; got ${described(v)}`;
    const tag = Object.hasOwn(v, key) ? v[key] : undefined;
    if (typeof tag !== 'string' || !Object.hasOwn(shapes, tag)) return `'${key}' must be one of ${Object.keys(shapes).map((t) => JSON.stringify(t)).join(', ')}; got ${described(tag)}`;
    return shapeProblem(shapes[tag], v, key);
  });
}

/** A plain object with exactly these fields (no others). */
export function object<S extends Shape>(shape: S): Field<Infer<S>> {
  return field((v) => shapeProblem(shape, v));
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Why `value` does not have exactly `shape`'s fields (`allowed` names keys checked elsewhere, such
 * as a message's `type`). Keys are own keys only: `__proto__` or `constructor` sent as data is an
 * unexpected field, never a lookup on the prototype.
 */
function shapeProblem(shape: Shape, value: unknown, allowed?: string): string | undefined {
  if (!isPlainObject(value)) return `must be an object; got ${described(value)}`;
  for (const key of Object.keys(value)) {
    if (key !== allowed && !Object.hasOwn(shape, key)) return `has an unexpected field '${key.slice(0, 40)}'`;
  }
  for (const [key, f] of Object.entries(shape)) {
    const v = Object.hasOwn(value, key) ? value[key] : undefined;
    if (v === undefined) {
      if (!f.optional) return `lacks its field '${key}'`;
      continue;
    }
    const problem = f.check(v);
    if (problem !== undefined) return `'${key}' ${problem}`;
  }
  return undefined;
}

/** Fields to read from a saved `State`, each checking the type State gives it (a drifted type does not compile). */
export type SavedShape<State> = { readonly [K in keyof State]?: Field<State[K], boolean> };

/**
 * The fields of `shape` read from a state a page saved (`setState`), each checked, the others left
 * out; undefined when one is missing or wrong. A page's saved state is as untrusted as its messages.
 */
export function savedFields<S extends Shape>(shape: S, state: unknown): Infer<S> | undefined {
  if (!isPlainObject(state)) return undefined;
  const picked = Object.fromEntries(Object.keys(shape).filter((key) => Object.hasOwn(state, key)).map((key) => [key, state[key]]));
  return shapeProblem(shape, picked) === undefined ? (picked as Infer<S>) : undefined;
}

/** A guard derived from a message declaration. */
export interface MessageGuard<D extends MessageShapes> {
  /** Why `value` is not one of the declared messages, or undefined when it is one. */
  readonly problem: (value: unknown) => string | undefined;
  readonly is: (value: unknown) => value is MessageUnion<D>;
  /** The declared message types. */
  readonly types: readonly (keyof D & string)[];
}

/** The guard of a declaration: the `type` must be declared, and every field must pass its check. */
export function messageGuard<D extends MessageShapes>(declaration: D): MessageGuard<D> {
  const problem = (value: unknown): string | undefined => {
    if (!isPlainObject(value)) return `a message must be an object; got ${described(value)}`;
    const type = Object.hasOwn(value, 'type') ? value.type : undefined;
    if (typeof type !== 'string' || !Object.hasOwn(declaration, type)) return `unknown message type ${typeof type === 'string' ? `'${type.slice(0, 40)}'` : described(type)}`;
    const inner = shapeProblem(declaration[type], value, 'type');
    return inner === undefined ? undefined : `${type}: ${inner}`;
  };
  return {
    problem,
    is: (value): value is MessageUnion<D> => problem(value) === undefined,
    types: Object.keys(declaration),
  };
}
