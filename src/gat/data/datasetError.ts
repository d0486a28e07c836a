/**
 * Errors a user can act on: each names the file involved, what was expected and what to do.
 * The CLI prints `message` alone (no stack) and exits with `exitCode`.
 */
export type DatasetErrorCode = 'missing' | 'checksum' | 'corrupt' | 'download' | 'unknown-dataset' | 'unsafe';

export class DatasetError extends Error {
  readonly exitCode = 3;
  constructor(
    readonly code: DatasetErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'DatasetError';
  }
}
