/**
 * JSON.parse with an error that says where: the line and column of the first character that cannot
 * continue a JSON document (JSON.parse's own messages name a position only sometimes, and differ
 * between engine versions). The locator is a small iterative scanner of the JSON grammar, so deep
 * nesting cannot overflow the stack.
 */

export class JsonSyntaxError extends Error {
  constructor(
    /** Offset (UTF-16 code units) of the first character that cannot continue a JSON document. */
    readonly offset: number,
    readonly line: number,
    readonly column: number,
    /** JSON.parse's own description. */
    readonly detail: string,
  ) {
    super(`line ${line}, column ${column}: ${detail}`);
    this.name = 'JsonSyntaxError';
  }
}

/** JSON.parse(text), or a JsonSyntaxError naming the line and column of the first error. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const offset = jsonErrorOffset(text);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - (before.lastIndexOf('\n') + 1) + 1;
    throw new JsonSyntaxError(offset, line, column, (err as Error).message);
  }
}

const WS = new Set([' ', '\t', '\n', '\r']);

/** The offset of the first character that cannot continue a JSON document (text.length when the text ends too early). */
export function jsonErrorOffset(text: string): number {
  const n = text.length;
  const stack: string[] = [];
  let i = 0;
  type State = 'value' | 'firstValueOrEnd' | 'firstKeyOrEnd' | 'key' | 'colon' | 'afterValue';
  let state: State = 'value';
  const string = (): boolean => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i += 2;
            return false;
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          return false;
        }
      } else i++;
    }
    return false;
  };
  const number = (): boolean => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-' || m[0] === '') return false;
    i += m[0].length;
    // A number cut short before a digit ("1." or "1e") fails at the character after it.
    if (text[i] === '.' || text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      return false;
    }
    return true;
  };
  for (;;) {
    while (i < n && WS.has(text[i])) i++;
    if (state === 'afterValue' && stack.length === 0) return i; // trailing text (or the end: then JSON.parse succeeded)
    if (i >= n) return n;
    const c = text[i];
    switch (state) {
      case 'firstValueOrEnd':
      case 'firstKeyOrEnd': {
        // Just inside '[' or '{': it closes at once (empty), or its first value or key follows.
        const array: boolean = state === 'firstValueOrEnd';
        if (c === (array ? ']' : '}')) {
          stack.pop();
          i++;
          state = 'afterValue';
          continue;
        }
        state = array ? 'value' : 'key';
        continue;
      }
      case 'key':
        if (c !== '"' || !string()) return i;
        state = 'colon';
        continue;
      case 'colon':
        if (c !== ':') return i;
        i++;
        state = 'value';
        continue;
      case 'afterValue': {
        const top = stack[stack.length - 1];
        if (c === ',') {
          i++;
          state = top === '{' ? 'key' : 'value';
        } else if ((top === '{' && c === '}') || (top === '[' && c === ']')) {
          stack.pop();
          i++;
        } else return i;
        continue;
      }
      case 'value':
        if (c === '{' || c === '[') {
          stack.push(c);
          i++;
          state = c === '{' ? 'firstKeyOrEnd' : 'firstValueOrEnd';
        } else if (c === '"') {
          if (!string()) return i;
          state = 'afterValue';
        } else if (c === '-' || (c >= '0' && c <= '9')) {
          if (!number()) return i;
          state = 'afterValue';
        } else {
          const literal = ['true', 'false', 'null'].find((l) => l[0] === c);
          if (!literal) return i;
          for (let k = 0; k < literal.length; k++, i++) if (text[i] !== literal[k]) return i;
          state = 'afterValue';
        }
        continue;
    }
  }
}

/**
 * A parsed JSON value as an error message shows it: short, and never by walking the structure (a
 * hostile file can nest lists deep enough to overflow JSON.stringify). Small lists of numbers (a
 * shape, a pair of offsets) are shown in full.
 */
export function describeJsonValue(v: unknown): string {
  if (v === undefined) return 'missing';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (Array.isArray(v)) return v.length <= 8 && v.every((x) => typeof x === 'number') ? `[${v.join(', ')}]` : `a list of ${v.length}`;
  if (typeof v === 'object' && v !== null) return 'an object';
  return String(v);
}
