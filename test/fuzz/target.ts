/**
 * What a fuzz target is, and the contract every parser of a user-supplied file must keep: any input
 * ends in a valid result or in that parser's own typed error, whose message names the file and the
 * byte or field at fault; never another exception, never more than a second for one input.
 */
import type * as fc from 'fast-check';

/** The name parsers are given for the input, which their messages must repeat. */
export const FUZZ_FILE = '/fuzz/input.bin';

export interface FuzzTarget {
  readonly name: string;
  /** One line: what is parsed, and through which entry point. */
  readonly description: string;
  /**
   * Parses one input as the product would. Returns normally for an accepted input (after checking the
   * result is well-formed: throw a ContractViolation otherwise), throws for a rejected one.
   */
  run(input: Uint8Array): void | Promise<void>;
  /** The parser's own error type(s). */
  isOwnError(e: unknown): boolean;
  /** The file names the parser is given (its messages must name one); default [FUZZ_FILE]. */
  readonly files?: readonly string[];
  /** Real files (or encodings made by the product's own writers) to start from. */
  seeds(): Uint8Array[];
  /** Structure-aware inputs: valid-looking files with one or more things wrong. */
  readonly generate: fc.Arbitrary<Uint8Array>;
}

/** A well-formedness check on an accepted result failed: a finding, like a foreign exception. */
export class ContractViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractViolation';
  }
}

export function require(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ContractViolation(message);
}

/** A message names the place at fault: a byte offset, a line, or a named field/entry/key. */
const PLACE = /\bbytes? \d+|\bline \d+|\boffset \d+|\b(?:field|key|entry|tensor|record|row|column|header|dtype|shape|label|setting|option|node|edge|index|value|format|kind|graph|file)\b|'[^']+'|`[^`]+`/i;

export type Outcome =
  | { readonly kind: 'accepted'; readonly ms: number }
  | { readonly kind: 'rejected'; readonly ms: number }
  | { readonly kind: 'finding'; readonly ms: number; readonly reason: string; readonly signature: string };

/**
 * Runs one input through a target and judges it against the contract (time is judged by the caller
 * too). A target whose parser is asynchronous (the file-opening layer) returns a promise; the others
 * are judged synchronously, at their full speed.
 */
export function judge(target: FuzzTarget, input: Uint8Array): Outcome | Promise<Outcome> {
  const t0 = performance.now();
  try {
    const running = target.run(input);
    if (running instanceof Promise) return running.then(() => ({ kind: 'accepted' as const, ms: performance.now() - t0 }), (e: unknown) => judgeError(target, e, performance.now() - t0));
    return { kind: 'accepted', ms: performance.now() - t0 };
  } catch (e) {
    return judgeError(target, e, performance.now() - t0);
  }
}

/** A thrown error: the parser's own, naming the file and the place (rejected), or a finding. */
function judgeError(target: FuzzTarget, e: unknown, ms: number): Outcome {
  if (!(e instanceof ContractViolation) && target.isOwnError(e)) {
    const message = (e as Error).message;
    if (!(target.files ?? [FUZZ_FILE]).some((f) => message.includes(f))) return finding(ms, `the error does not name the file: ${message}`, 'no-file');
    if (!PLACE.test(message)) return finding(ms, `the error does not name a byte or field: ${message}`, 'no-place');
    return { kind: 'rejected', ms };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  const frame = (err.stack ?? '').split('\n').find((l) => /^\s+at /.test(l))?.trim() ?? '';
  return finding(ms, `${err.name}: ${err.message}\n${err.stack ?? ''}`, `${err.name}@${frame.replace(/:\d+\)?$/, '')}`);
}

function finding(ms: number, reason: string, signature: string): Outcome {
  return { kind: 'finding', ms, reason, signature };
}

/** The longest one input may take. */
export const MAX_MS_PER_INPUT = 1000;
/** The most memory one input may add to the process. */
export const MAX_BYTES_PER_INPUT = 512 * 1024 * 1024;
