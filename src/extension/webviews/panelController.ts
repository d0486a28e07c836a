import type * as vscode from 'vscode';

/**
 * One controller for every webview panel, in the spirit of GitLens's webviews controller: each kind
 * of panel is registered once with a descriptor, and the controller keeps the open panels, creates,
 * reveals and restores them, and registers their serializers. Panels open each other through it
 * (by view type), never by importing each other. It uses `vscode` through the window it is given
 * only, so unit tests drive it with a stand-in.
 */

/** What the controller needs of an open panel (PanelBase provides it). */
export interface ControlledPanel {
  readonly panel: vscode.WebviewPanel;
  /** Routes a message as if the panel's webview had posted it (a node's context-menu command). */
  receive(message: unknown): Promise<void>;
}

/** Where a new panel opens, and where an open one is revealed (undefined: where it is). */
export interface PanelPlacement {
  readonly column: vscode.ViewColumn;
  readonly revealColumn?: vscode.ViewColumn;
  readonly preserveFocus?: boolean;
}

/**
 * A kind of panel. The panel `create` returns loads its own snapshot once its webview says ready
 * (PanelBase), so the descriptor only says how to build, find, reuse and restore one.
 */
export interface PanelDescriptor<V extends string, Args, P extends ControlledPanel> {
  /** The webview's view type; package.json activates the extension on `onWebviewPanel:<viewType>`. */
  readonly viewType: V;
  /** One panel per key (a run id, a dataset, a pair of runs): showing a key again reveals its panel. */
  key(args: Args): string;
  /** The title of a new panel's tab. */
  title(args: Args): string;
  /** Builds the panel around a new or a restored webview panel. */
  create(webviewPanel: vscode.WebviewPanel, args: Args): P;
  /** Shows `args` in the open panel of their key (another node); absent: the panel is only revealed. */
  reuse?(panel: P, args: Args): void;
  /** What to restore from the state the webview saved; undefined: nothing to restore, the tab closes. */
  revive(state: unknown): Args | undefined;
  /** Default: a new panel in the controller's column, an open one revealed where it is. */
  placement?(args: Args): PanelPlacement;
}

/** What panels and commands do with other panels: open one, or reveal it when its key is open. */
export interface PanelOpener<M> {
  show<V extends keyof M & string>(viewType: V, args: M[V]): ControlledPanel;
}

/** The part of `vscode.window` the controller uses. */
export type PanelWindow = Pick<typeof vscode.window, 'createWebviewPanel' | 'registerWebviewPanelSerializer'>;

export interface PanelDefaults {
  /** Where a panel opens unless its descriptor says otherwise (VS Code's active column). */
  readonly column: vscode.ViewColumn;
  readonly options: vscode.WebviewPanelOptions & vscode.WebviewOptions;
}

/** A registered kind with its descriptor's types closed over. */
interface Kind<Args> {
  readonly open: ReadonlyMap<string, ControlledPanel>;
  show(args: Args): ControlledPanel;
  revive(webviewPanel: vscode.WebviewPanel, state: unknown): ControlledPanel | undefined;
}

export class PanelController<M extends { readonly [V in keyof M]: object }> implements PanelOpener<M>, vscode.Disposable {
  private readonly kinds: { [V in keyof M]?: Kind<M[V]> } = {};
  private readonly serializers: vscode.Disposable[] = [];

  constructor(
    private readonly window: PanelWindow,
    private readonly defaults: PanelDefaults,
  ) {}

  /** Registers a kind of panel and the serializer that restores its panels after a reload. */
  register<V extends keyof M & string, P extends ControlledPanel>(descriptor: PanelDescriptor<V, M[V], P>): void {
    if (this.kinds[descriptor.viewType]) throw new Error(`the panel ${descriptor.viewType} is registered twice`);
    const open = new Map<string, P>();
    const adopt = (webviewPanel: vscode.WebviewPanel, args: M[V]): P => {
      const key = descriptor.key(args);
      const panel = descriptor.create(webviewPanel, args);
      open.set(key, panel);
      // Closed by the user or disposed by the panel; a newer panel of the same key stays.
      webviewPanel.onDidDispose(() => open.get(key) === panel && open.delete(key));
      return panel;
    };
    this.kinds[descriptor.viewType] = {
      open,
      show: (args) => {
        const placement = descriptor.placement?.(args);
        const existing = open.get(descriptor.key(args));
        if (existing) {
          existing.panel.reveal(placement?.revealColumn, placement?.preserveFocus);
          descriptor.reuse?.(existing, args);
          return existing;
        }
        const showOptions = { viewColumn: placement?.column ?? this.defaults.column, preserveFocus: placement?.preserveFocus ?? false };
        return adopt(this.window.createWebviewPanel(descriptor.viewType, descriptor.title(args), showOptions, this.defaults.options), args);
      },
      revive: (webviewPanel, state) => {
        const args = descriptor.revive(state);
        if (args === undefined) {
          webviewPanel.dispose();
          return undefined;
        }
        return adopt(webviewPanel, args);
      },
    };
    this.serializers.push(
      this.window.registerWebviewPanelSerializer(descriptor.viewType, {
        deserializeWebviewPanel: async (webviewPanel, state) => void this.revive(descriptor.viewType, webviewPanel, state),
      }),
    );
  }

  /** Opens the panel of `args`, or reveals (and reuses) the one open for their key. */
  show<V extends keyof M & string>(viewType: V, args: M[V]): ControlledPanel {
    return this.kind(viewType).show(args);
  }

  /** Restores a panel VS Code kept across a reload, from the state its webview saved (the serializer's job). */
  revive(viewType: keyof M & string, webviewPanel: vscode.WebviewPanel, state: unknown): ControlledPanel | undefined {
    return this.kind(viewType).revive(webviewPanel, state);
  }

  /** The open panels of a kind. */
  panels(viewType: keyof M & string): readonly ControlledPanel[] {
    return [...this.kind(viewType).open.values()];
  }

  /** The open panel of a kind whose tab is active. */
  active(viewType: keyof M & string): ControlledPanel | undefined {
    return this.panels(viewType).find((p) => p.panel.active);
  }

  /** The registered view types. */
  get viewTypes(): readonly string[] {
    return Object.keys(this.kinds);
  }

  dispose(): void {
    while (this.serializers.length) this.serializers.pop()?.dispose();
  }

  private kind<V extends keyof M & string>(viewType: V): Kind<M[V]> {
    const kind = this.kinds[viewType];
    if (!kind) throw new Error(`no panel is registered for ${viewType}`);
    return kind;
  }
}
