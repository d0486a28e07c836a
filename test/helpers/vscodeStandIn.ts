/**
 * A recording stand-in for the `vscode` module, for unit tests of host code outside a workbench:
 * importing this file first makes `require('vscode')` return it. It does nothing but record what
 * the host asked for (commands, opened documents, notifications, file writes), so a test can
 * assert what a message could and could not make the host do.
 */
import Module from 'node:module';

export interface Recorded {
  readonly commands: unknown[][];
  readonly notifications: Array<{ readonly kind: 'error' | 'warning' | 'information'; readonly message: string }>;
  readonly openedDocuments: unknown[];
  readonly shownDocuments: unknown[];
  readonly writes: string[];
}

export const recorded: Recorded = { commands: [], notifications: [], openedDocuments: [], shownDocuments: [], writes: [] };

export function clearRecorded(): void {
  for (const list of Object.values(recorded) as unknown[][]) list.length = 0;
}

class StandInUri {
  constructor(
    readonly scheme: string,
    readonly path: string,
    readonly query = '',
  ) {}
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}:${this.path}${this.query ? `?${this.query}` : ''}`;
  }
  static file(p: string): StandInUri {
    return new StandInUri('file', p);
  }
  static from(c: { scheme: string; path?: string; query?: string }): StandInUri {
    return new StandInUri(c.scheme, c.path ?? '', c.query ?? '');
  }
  static parse(s: string): StandInUri {
    const at = s.indexOf(':');
    return new StandInUri(s.slice(0, at), s.slice(at + 1));
  }
  static joinPath(base: StandInUri, ...parts: string[]): StandInUri {
    return new StandInUri(base.scheme, [base.path, ...parts].join('/'));
  }
}

class StandInEventEmitter<T> {
  private readonly listeners = new Set<(e: T) => void>();
  readonly event = (listener: (e: T) => void): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(e: T): void {
    for (const l of this.listeners) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

const notify = (kind: 'error' | 'warning' | 'information') => async (message: string): Promise<undefined> => {
  recorded.notifications.push({ kind, message });
  return undefined;
};

/** Workspace folders the stand-in reports (a test sets them). */
export const standInWorkspace: { folders: string[] } = { folders: [] };

export const vscodeStandIn = {
  Uri: StandInUri,
  EventEmitter: StandInEventEmitter,
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
  commands: {
    executeCommand: async (...args: unknown[]): Promise<undefined> => {
      recorded.commands.push(args);
      return undefined;
    },
  },
  window: {
    showErrorMessage: notify('error'),
    showWarningMessage: notify('warning'),
    showInformationMessage: notify('information'),
    showTextDocument: async (doc: unknown): Promise<undefined> => {
      recorded.shownDocuments.push(doc);
      return undefined;
    },
    showSaveDialog: async (): Promise<undefined> => undefined,
  },
  workspace: {
    getConfiguration: () => ({ get: (): undefined => undefined }),
    get workspaceFolders() {
      return standInWorkspace.folders.map((f) => ({ uri: StandInUri.file(f) }));
    },
    openTextDocument: async (what: unknown): Promise<unknown> => {
      recorded.openedDocuments.push(what);
      return what;
    },
    asRelativePath: (p: unknown): string => String(p),
    fs: {
      writeFile: async (uri: StandInUri): Promise<void> => {
        recorded.writes.push(uri.fsPath);
      },
    },
  },
};

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const original = loader._load;
loader._load = function (this: unknown, request: string, parent: unknown, isMain: boolean): unknown {
  return request === 'vscode' ? vscodeStandIn : original.call(this, request, parent, isMain);
};
