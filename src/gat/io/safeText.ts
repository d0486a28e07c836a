/**
 * Text that came from a file, a run or a setting, made safe for where it is shown. A user opens
 * models, datasets and runs other people made, so such text is data and is shown as text:
 * - a VS Code notification turns `[label](command:…)` into a link that runs a command on one click;
 * - Markdown (hovers, tooltips, documents) renders links, images and HTML;
 * - a terminal obeys escape sequences (retitle, recolour, clear).
 * Every such string goes through one of these functions, or through the `notice` and `md` tagged
 * templates, which apply them to each interpolated value and keep the literal parts as written.
 * A unit test keeps the extension's notifications and Markdown strings on this path.
 */

/** Cap on one interpolated value: a file can hold megabytes in one field, a message needs a line. */
export const MAX_SHOWN_CHARS = 2000;

function capped(text: string): string {
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}… (${text.length - MAX_SHOWN_CHARS} more characters)` : text;
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.message;
  return String(value);
}

/** C0 and C1 controls and DEL, except tab and newline; also the bidi overrides that reorder text. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * For a terminal (and for one-line messages anywhere): every control character (ESC, BEL, NUL, CR,
 * …) becomes U+FFFD, so no escape sequence reaches the terminal. Tab and newline stay.
 */
export function forTerminal(value: unknown): string {
  return withoutControls(capped(asText(value)));
}

/** Control characters replaced, nothing cut: for whole outputs (the CLI's stdout and stderr). */
export function withoutControls(text: string): string {
  return text.replace(CONTROL, '\uFFFD');
}

/**
 * For a notification: VS Code links `[label](target)` (command:, file:, https:) in a notification's
 * message. A space between `]` and `(` leaves the text readable and no link. Control characters
 * and newlines go too: a notification is one line.
 */
export function forNotification(value: unknown): string {
  return withoutControls(capped(asText(value)).replace(/[\r\n\t]+/g, ' ')).replace(/\]\s*\(/g, '] (');
}

/**
 * The characters that can make Markdown more than text: links and images (`[ ] ( ) !`), HTML and
 * autolinks (`< > &`, and `:` so a bare URL is not linked), code, emphasis and tables (`` ` * _ ~ | ``),
 * headings (`#`), math (`$`) and the escape itself. List markers and full stops stay as they are:
 * at worst they format, and escaping them would litter every name with backslashes.
 */
const MARKDOWN_SYNTAX = /[\\`*_[\]()!<>&:|~#$]/g;

/**
 * For Markdown (a hover, a tooltip, an untitled Markdown document): each syntax character is
 * backslash-escaped, so links, images, emphasis and HTML show as the characters they are. Line
 * breaks stay, as Markdown line breaks.
 */
export function forMarkdown(value: unknown): string {
  return forTerminal(value)
    .replace(MARKDOWN_SYNTAX, (c) => `\\${c}`)
    .replace(/\n/g, '  \n');
}

/** Markdown already made safe (by `mdCode`): the `md` template inserts it as it is. */
export class SafeMarkdown {
  constructor(readonly markdown: string) {}
  toString(): string {
    return this.markdown;
  }
}

/**
 * A code span holding `value` as it is (tensor names stay readable): its fence is one backtick
 * longer than any run of backticks inside, so nothing can close it early; one line only.
 */
export function mdCode(value: unknown): SafeMarkdown {
  const text = forTerminal(value).replace(/[\r\n\t]+/g, ' ');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return new SafeMarkdown(`${fence}${pad}${text}${pad}${fence}`);
}

/** A tagged template that keeps its literal parts and passes each value through `safe`. */
function escapingTemplate(safe: (value: unknown) => string): (literals: TemplateStringsArray, ...values: readonly unknown[]) => string {
  return (literals, ...values) => literals.reduce((out, part, i) => out + part + (i < values.length ? safe(values[i]) : ''), '');
}

/** A tagged template: `notice\`GAT: ${file} was imported.\`` — each value through forNotification. */
export const notice = escapingTemplate(forNotification);

/** A tagged template for Markdown: each value through forMarkdown (or as it is, when `mdCode` made it), the literal parts kept as Markdown. */
export const md = escapingTemplate((value) => (value instanceof SafeMarkdown ? value.markdown : forMarkdown(value)));

/** A tagged template for terminal output: each value through forTerminal. */
export const term = escapingTemplate(forTerminal);
