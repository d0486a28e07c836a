/**
 * A JSON scanner over bytes that arrive in chunks, for a reader that keeps only the few values it
 * needs (node-link graphs: node ids and link ends) and never holds the text or a parsed document:
 * memory is one chunk plus what the reader keeps. It accepts exactly the JSON grammar (RFC 8259);
 * a syntax error names the line and column. Containers are skipped without recursion, so deep
 * nesting cannot overflow the stack.
 */
import { describeJsonValue } from './jsonText';

/** A value as a reader sees it: scalars in full (long strings cut), containers by their shape. */
export type JsonScalar =
  /** `spelled`: only for a number spelled longer than any real one (its first characters; `value` is then NaN). */
  | { readonly kind: 'number'; readonly value: number; readonly spelled?: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'literal'; readonly value: boolean | null };
export type JsonValue = JsonScalar | { readonly kind: 'object' } | { readonly kind: 'array'; readonly count: number; readonly numbers: readonly number[] | null };

/** A value as error messages show it (describeJsonValue's words for a parsed value). */
export function describeValue(v: JsonValue): string {
  switch (v.kind) {
    case 'number':
      return v.spelled ?? String(v.value);
    case 'string':
      return describeJsonValue(v.text);
    case 'literal':
      return String(v.value);
    case 'object':
      return 'an object';
    case 'array':
      return v.numbers !== null && v.count <= 8 ? `[${v.numbers.join(', ')}]` : `a list of ${v.count}`;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
export const OPEN_ARRAY = 0x5b;
export const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;
const EMPTY = new Uint8Array(0);
/** A string's first bytes kept for a message: enough for describeJsonValue's 60 characters, whatever the escapes. */
const KEPT_STRING_BYTES = 1024;
/** A number spelled longer than this is kept as its first characters (no node id is that long). */
const KEPT_NUMBER_CHARS = 400;
const ESCAPES: Readonly<Record<number, string>> = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' };
const LITERALS: ReadonlyArray<readonly [string, boolean | null]> = [['true', true], ['false', false], ['null', null]];

export class JsonBytes {
  private chunk: Uint8Array = EMPTY;
  private pos = 0;
  /** Offset in the input of chunk[0]. */
  private chunkStart = 0;
  /** Newlines before chunk[0], and the offset just after the last of them (for error positions). */
  private linesBefore = 0;
  private lineStart = 0;
  private ended = false;

  constructor(
    /** The next bytes (they may be overwritten after the following call), or null at the end. */
    private readonly more: () => Uint8Array | null,
    /** Turns "invalid JSON at …" into the caller's error. */
    private readonly fail: (message: string) => Error,
  ) {}

  /** The next byte, or -1 at the end of the input. */
  peek(): number {
    while (this.pos >= this.chunk.length) if (!this.advance()) return -1;
    return this.chunk[this.pos];
  }

  skipWhitespace(): void {
    for (let c = this.peek(); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = this.peek()) this.pos++;
  }

  /** Consumes `byte` (after whitespace) or fails naming what was expected. */
  expect(byte: number): void {
    this.skipWhitespace();
    const c = this.peek();
    if (c !== byte) throw this.syntax(`${show(c)} where '${String.fromCharCode(byte)}' was expected`);
    this.pos++;
  }

  /** After a member or element: true for ',', false for the container's close; anything else fails. */
  separatorOrClose(close: number): boolean {
    this.skipWhitespace();
    const c = this.peek();
    this.pos++;
    if (c === COMMA) return true;
    if (c === close) return false;
    this.pos--;
    throw this.syntax(`${show(c)} where ',' or '${String.fromCharCode(close)}' was expected`);
  }

  /** At '{' or '[': consumes it and says whether the container is empty (its close consumed too). */
  open(): boolean {
    const close = this.peek() === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
    this.pos++;
    this.skipWhitespace();
    if (this.peek() !== close) return false;
    this.pos++;
    return true;
  }

  /** An object's key (its first bytes, as string() keeps them) and the colon after it. */
  key(): string {
    this.skipWhitespace();
    if (this.peek() !== QUOTE) throw this.syntax(`${show(this.peek())} where a key (a string) was expected`);
    const key = this.string();
    this.expect(COLON);
    return key;
  }

  /**
   * Which of `names` (plain ASCII) the next key is, its colon consumed: an index, or -1 for any
   * other key. The common case is compared byte by byte, without making a string.
   */
  keyOf(names: readonly string[]): number {
    this.skipWhitespace();
    if (this.peek() !== QUOTE) throw this.syntax(`${show(this.peek())} where a key (a string) was expected`);
    const bytes = this.chunk;
    const start = this.pos + 1;
    let end = start;
    while (end < bytes.length && end - start <= 32 && bytes[end] > 0x22 && bytes[end] !== BACKSLASH && bytes[end] < 0x80) end++;
    let found = -1;
    if (end < bytes.length && bytes[end] === QUOTE) {
      for (let n = 0; n < names.length && found < 0; n++) {
        const name = names[n];
        if (name.length !== end - start) continue;
        let k = 0;
        while (k < name.length && bytes[start + k] === name.charCodeAt(k)) k++;
        if (k === name.length) found = n;
      }
      this.pos = end + 1;
    } else found = names.indexOf(this.string());
    this.expect(COLON);
    return found;
  }

  /** Any value, containers skipped (checked, counted, not kept). */
  value(): JsonValue {
    this.skipWhitespace();
    const c = this.peek();
    return c === OPEN_OBJECT || c === OPEN_ARRAY ? this.container() : this.scalar();
  }

  /** The end of the input: only whitespace may follow the document. */
  end(): void {
    this.skipWhitespace();
    if (this.peek() !== -1) throw this.syntax(`${show(this.peek())} after the end of the JSON document`);
  }

  /** "invalid JSON at line L, column C: …" at the current byte (the column counts bytes). */
  syntax(detail: string): Error {
    let line = this.linesBefore + 1;
    let lineStart = this.lineStart;
    const upto = Math.min(this.pos, this.chunk.length);
    for (let i = this.chunk.indexOf(0x0a); i !== -1 && i < upto; i = this.chunk.indexOf(0x0a, i + 1)) {
      line++;
      lineStart = this.chunkStart + i + 1;
    }
    return this.fail(`invalid JSON at line ${line}, column ${this.chunkStart + upto - lineStart + 1}: ${detail}`);
  }

  private advance(): boolean {
    if (this.ended) return false;
    for (let i = this.chunk.indexOf(0x0a); i !== -1; i = this.chunk.indexOf(0x0a, i + 1)) {
      this.linesBefore++;
      this.lineStart = this.chunkStart + i + 1;
    }
    this.chunkStart += this.chunk.length;
    const next = this.more();
    this.chunk = next ?? EMPTY;
    this.pos = 0;
    if (next === null) this.ended = true;
    return next !== null;
  }

  private scalar(): JsonScalar {
    const c = this.peek();
    if (c === QUOTE) return { kind: 'string', text: this.string() };
    if (c === MINUS || isDigit(c)) return this.number();
    for (const [word, value] of LITERALS) {
      if (c !== word.charCodeAt(0)) continue;
      for (let k = 0; k < word.length; k++, this.pos++) if (this.peek() !== word.charCodeAt(k)) throw this.syntax(`${show(this.peek())} in what should be '${word}'`);
      return { kind: 'literal', value };
    }
    throw this.syntax(`${show(c)} where a value was expected`);
  }

  /** At '"': the string's text (its first KEPT_STRING_BYTES bytes of input, which is always more than a message shows). */
  private string(): string {
    this.pos++;
    // Fast path: printable ASCII without escapes, closed within this chunk (every key of a node-link file).
    const bytes = this.chunk;
    let i = this.pos;
    while (i < bytes.length && bytes[i] !== QUOTE && bytes[i] !== BACKSLASH && bytes[i] >= 0x20 && bytes[i] < 0x80) i++;
    if (i < bytes.length && bytes[i] === QUOTE && i - this.pos <= KEPT_STRING_BYTES) {
      let text = '';
      if (i - this.pos <= 32) for (let k = this.pos; k < i; k++) text += String.fromCharCode(bytes[k]);
      else text = Buffer.from(bytes.buffer, bytes.byteOffset + this.pos, i - this.pos).toString('latin1');
      this.pos = i + 1;
      return text;
    }
    const parts: string[] = [];
    let run: number[] = [];
    let seen = 0;
    const flush = (): void => {
      if (run.length > 0) parts.push(Buffer.from(run).toString('utf8'));
      run = [];
    };
    for (;;) {
      const c = this.peek();
      if (c === -1) throw this.syntax('the input ends inside a string');
      if (c === QUOTE) break;
      if (c < 0x20) throw this.syntax(`a control character (byte 0x${c.toString(16).padStart(2, '0')}) inside a string`);
      this.pos++;
      if (c !== BACKSLASH) {
        if (++seen <= KEPT_STRING_BYTES) run.push(c);
        continue;
      }
      const e = this.peek();
      let ch = ESCAPES[e];
      if (e === 0x75) {
        let code = 0;
        for (let k = 0; k < 4; k++) {
          this.pos++;
          const h = hexValue(this.peek());
          if (h < 0) throw this.syntax('a \\u escape needs four hex digits');
          code = 16 * code + h;
        }
        ch = String.fromCharCode(code);
      } else if (ch === undefined) throw this.syntax(`'\\${e < 0 ? '' : String.fromCharCode(e)}' is not a JSON escape`);
      this.pos++;
      seen += e === 0x75 ? 6 : 2;
      if (seen <= KEPT_STRING_BYTES) {
        flush();
        parts.push(ch);
      }
    }
    this.pos++;
    flush();
    return parts.join('');
  }

  private number(): JsonScalar {
    // Fast path: a plain non-negative integer of up to 15 digits within this chunk (every node id and link end).
    const bytes = this.chunk;
    let i = this.pos;
    let value = 0;
    while (i < bytes.length && i - this.pos < 15 && isDigit(bytes[i])) value = 10 * value + (bytes[i++] - 0x30);
    const digits = i - this.pos;
    if (digits > 0 && i < bytes.length && !isNumberByte(bytes[i]) && (digits === 1 || bytes[this.pos] !== 0x30)) {
      this.pos = i;
      return { kind: 'number', value };
    }
    return this.spelledNumber();
  }

  /** Any number, by the grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. */
  private spelledNumber(): JsonScalar {
    let text = '';
    let long = false;
    const take = (): void => {
      if (text.length < KEPT_NUMBER_CHARS) text += String.fromCharCode(this.peek());
      else long = true;
      this.pos++;
    };
    const digits = (after: string): void => {
      if (!isDigit(this.peek())) throw this.syntax(`${show(this.peek())} where a digit was expected ${after}`);
      while (isDigit(this.peek())) take();
    };
    if (this.peek() === MINUS) take();
    if (this.peek() === 0x30) take();
    else digits('in a number');
    if (this.peek() === 0x2e) {
      take();
      digits("after a number's '.'");
    }
    if (this.peek() === 0x65 || this.peek() === 0x45) {
      take();
      if (this.peek() === 0x2b || this.peek() === MINUS) take();
      digits("in a number's exponent");
    }
    if (isDigit(this.peek())) throw this.syntax(`${show(this.peek())} after a number that starts with 0`);
    // A spelling longer than any real number is no node id: kept as its first characters.
    return long ? { kind: 'number', value: NaN, spelled: `${text.slice(0, 40)}…` } : { kind: 'number', value: Number(text) };
  }

  /** At '{' or '[': skips the whole container with a stack (no recursion); an array is counted, and its numbers kept while few. */
  private container(): JsonValue {
    const isArray = this.peek() === OPEN_ARRAY;
    const stack: number[] = [this.peek() === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY];
    let count = 0;
    let numbers: number[] | null = [];
    let empty = this.open();
    if (empty) stack.pop();
    while (stack.length > 0) {
      // An element (or member) of the innermost container.
      const close = stack[stack.length - 1];
      if (close === CLOSE_OBJECT) this.key();
      this.skipWhitespace();
      const c = this.peek();
      const outer = stack.length === 1;
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (outer) {
          count++;
          numbers = null;
        }
        stack.push(c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY);
        empty = this.open();
        if (!empty) continue;
        stack.pop();
      } else {
        const v = this.scalar();
        if (outer) {
          count++;
          if (numbers && v.kind === 'number' && numbers.length < 8) numbers.push(v.value);
          else numbers = null;
        }
      }
      // After a value: ',' goes on to the next element; a close ends its container (and maybe more).
      while (stack.length > 0 && !this.separatorOrClose(stack[stack.length - 1])) stack.pop();
    }
    return isArray ? { kind: 'array', count, numbers } : { kind: 'object' };
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** A byte that would continue a number (so the fast path must not stop before it). */
function isNumberByte(c: number): boolean {
  return isDigit(c) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === MINUS;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function show(c: number): string {
  if (c === -1) return 'the end of the input';
  if (c >= 0x21 && c <= 0x7e) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}
