/**
 * Splits a stream of text into lines for a line protocol (the explain server's stdin, its replies on
 * the host), holding at most `maxChars` of one line: a longer line is reported once and skipped to
 * its end, so a writer that never sends a newline cannot make the reader hold unbounded text.
 */
export class LineBuffer {
  private partial = '';
  /** Inside a line already reported as too long: drop text until its newline. */
  private skipping = false;

  constructor(
    private readonly maxChars: number,
    private readonly onLine: (line: string) => void,
    private readonly onOverlong: () => void,
  ) {}

  /** Text as it arrives (decoded: set the stream's encoding, so a character split across chunks stays whole). */
  push(chunk: string): void {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, nl);
      start = nl + 1;
      if (this.skipping) this.skipping = false;
      else if (this.partial.length + piece.length > this.maxChars) this.onOverlong();
      else this.onLine(stripCr(this.partial + piece));
      this.partial = '';
    }
    if (this.skipping || start === chunk.length) return;
    const rest = chunk.slice(start);
    if (this.partial.length + rest.length > this.maxChars) {
      this.partial = '';
      this.skipping = true;
      this.onOverlong();
    } else this.partial += rest;
  }

  /** The stream ended: a last line without its newline still counts. */
  end(): void {
    if (!this.skipping && this.partial.length > 0) this.onLine(stripCr(this.partial));
    this.partial = '';
    this.skipping = false;
  }
}

/** A line ended by CRLF (a Windows writer) reads the same as one ended by LF. */
const stripCr = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line);
