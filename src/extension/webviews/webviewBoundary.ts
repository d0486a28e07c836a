import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { webviewToHostProblem, type WebviewToHost } from '../../protocol/webviewMessages';

/**
 * The host's side of every webview: what a page posts is untrusted, since a page that renders
 * someone else's run can be tricked by it. A message passes only when the guard derived from the
 * message declaration accepts every field (protocol/webviewToHost.ts); a path a page asks to open
 * must resolve, after symlinks, inside a folder the extension knows, or be a file the host itself
 * listed to that page. Everything refused has no effect and is logged (once) to the output channel.
 */

/** Where the boundary logs, and which folders it knows. */
export interface BoundaryHost {
  readonly log: (line: string) => void;
  /** The output folder (runs, checkpoints, models), when there is one. */
  readonly outDir: () => string | undefined;
  /** The workspace's folders (specs live there). */
  readonly workspaceFolders: () => readonly string[];
}

/** A file a page offered in its header (spec, imported model) may open from anywhere, if it is one of these. */
const OFFERED_FILE = /\.(gat\.json|json|pth|pt|safetensors)$/i;

/** The most lines one session logs: a page posting junk in a loop must not flood the channel. */
const MAX_LOGGED = 100;

export type Openable = { readonly path: string; readonly kind: 'file' | 'folder' } | { readonly refused: string };

export class WebviewBoundary {
  private readonly logged = new Set<string>();
  /** What was logged, in order (Show Back End Info and tests read it; the output channel has it too). */
  readonly lines: string[] = [];

  constructor(private readonly host: BoundaryHost) {}

  /** The message, when the guard accepts it; otherwise undefined, and the reason logged. */
  accept(raw: unknown, where: string): WebviewToHost | undefined {
    const problem = webviewToHostProblem(raw);
    if (problem === undefined) return raw as WebviewToHost;
    this.refuse(where, `dropped a message: ${problem}`);
    return undefined;
  }

  /** Logs one refusal once (the same line again is not repeated). */
  refuse(where: string, why: string): void {
    const line = `[webview boundary] ${where}: ${why}`;
    if (this.logged.has(line) || this.logged.size > MAX_LOGGED) return;
    this.logged.add(line);
    const shown = this.logged.size > MAX_LOGGED ? `[webview boundary] more than ${MAX_LOGGED} refusals; the rest are not logged` : line;
    this.lines.push(shown);
    this.host.log(shown);
  }

  /**
   * Whether a page may open `requested`: the real path (symlinks resolved) of a file or folder
   * inside the output folder, or of a file inside a workspace folder, or one of the spec and model
   * files the host listed to this page (`offered`). Folders open in the OS file manager, so only
   * the output folder's.
   */
  async openable(requested: string, offered: ReadonlySet<string>): Promise<Openable> {
    if (!path.isAbsolute(requested)) return { refused: 'is not an absolute path' };
    const real = await fs.realpath(requested).catch(() => undefined);
    if (!real) return { refused: 'does not exist' };
    const stat = await fs.stat(real).catch(() => undefined);
    if (!stat || !(stat.isFile() || stat.isDirectory())) return { refused: 'is not a regular file or folder' };
    const outDir = await realOrUndefined(this.host.outDir());
    if (outDir && isInside(real, outDir)) return { path: real, kind: stat.isDirectory() ? 'folder' : 'file' };
    if (stat.isDirectory()) return { refused: 'is a folder outside the output folder' };
    for (const folder of this.host.workspaceFolders()) {
      const root = await realOrUndefined(folder);
      if (root && isInside(real, root)) return { path: real, kind: 'file' };
    }
    if (offered.has(path.normalize(requested)) && OFFERED_FILE.test(real)) return { path: real, kind: 'file' };
    return { refused: 'is outside the output folder and the workspace, and not a file this panel lists' };
  }
}

async function realOrUndefined(dir: string | undefined): Promise<string | undefined> {
  return dir ? fs.realpath(dir).catch(() => undefined) : undefined;
}

function isInside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The files a snapshot's provenance header lists (what its links may open). */
export function offeredFiles(message: unknown): string[] {
  const provenance = typeof message === 'object' && message !== null ? (message as { provenance?: unknown }).provenance : undefined;
  const files = typeof provenance === 'object' && provenance !== null ? (provenance as { files?: unknown }).files : undefined;
  if (!Array.isArray(files)) return [];
  return files.flatMap((f: unknown) => {
    const p = typeof f === 'object' && f !== null ? (f as { path?: unknown }).path : undefined;
    return typeof p === 'string' && path.isAbsolute(p) ? [path.normalize(p)] : [];
  });
}

let configured: WebviewBoundary | undefined;

/** Activation wires the boundary to the output channel and the folders (once). */
export function configureWebviewBoundary(host: BoundaryHost): WebviewBoundary {
  configured = new WebviewBoundary(host);
  return configured;
}

/** The boundary every panel and view uses; before activation wires it, it logs to stderr and knows no folder. */
export function webviewBoundary(): WebviewBoundary {
  configured ??= new WebviewBoundary({ log: (line) => process.stderr.write(`${line}\n`), outDir: () => undefined, workspaceFolders: () => [] });
  return configured;
}
