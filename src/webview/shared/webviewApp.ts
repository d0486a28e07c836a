import type { HostToWebview, WebviewToHost } from '../../protocol/webviewMessages';
import { onHostMessage, onResizeSettled } from './hostMessages';
import { vscodeApi } from './vscodeApi';

/** What an app asks of VS Code: posting to the host, and the view state kept across reloads. */
export interface AppHost<Saved> {
  /** What the app saved before the panel was reloaded (the serializer restores the panel, this its view). */
  readonly saved: Saved | undefined;
  post(message: WebviewToHost): void;
  save(state: Saved): void;
}

/** Each host message the app takes, with the handler that gives it to the app. */
export type HostHandlers<App> = { readonly [K in HostToWebview['type']]?: (app: App, message: Extract<HostToWebview, { type: K }>) => void };

export interface AppSpec<Saved, App> {
  /** The class the page's root gets (the stylesheet's rules for this app). */
  readonly className?: string;
  /** Builds the app's root component on the page's root. */
  create(root: HTMLElement, host: AppHost<Saved>): App;
  readonly messages: HostHandlers<App>;
  /** VS Code switched the theme (body's class): colours read from the theme must be read again. */
  readonly onTheme?: (app: App) => void;
  /** The window stopped resizing. */
  readonly onResize?: (app: App) => void;
}

export interface RunningApp<App> {
  readonly app: App;
  /** Removes every listener the page added, then the app. */
  dispose(): void;
}

/**
 * The page set-up every webview app shares: the VS Code API typed to the app's saved state, the
 * root element (#app), host messages routed through `onHostMessage`, the theme and resize
 * listeners, and the ready handshake: `ready` is posted last, once every handler is listening,
 * because the host posts its snapshot only after it.
 */
export function startApp<Saved, App extends { dispose(): void }>(spec: AppSpec<Saved, App>, root: HTMLElement = document.getElementById('app')!): RunningApp<App> {
  const api = vscodeApi<Saved>();
  const host: AppHost<Saved> = { saved: api.getState(), post: (m) => api.postMessage(m), save: (s) => api.setState(s) };
  if (spec.className) root.classList.add(spec.className);
  const app = spec.create(root, host);
  const cleanups: Array<() => void> = [];
  for (const [type, handle] of Object.entries(spec.messages) as Array<[HostToWebview['type'], (app: App, message: HostToWebview) => void]>) {
    cleanups.push(onHostMessage(type, (message) => handle(app, message)));
  }
  if (spec.onTheme) {
    const onTheme = spec.onTheme;
    const observer = new MutationObserver(() => onTheme(app));
    observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    cleanups.push(() => observer.disconnect());
  }
  if (spec.onResize) {
    const onResize = spec.onResize;
    cleanups.push(onResizeSettled(() => onResize(app)));
  }
  host.post({ type: 'ready' });
  const warm = window.setTimeout(warmLocale, 0);
  cleanups.push(() => window.clearTimeout(warm));
  return {
    app,
    dispose() {
      while (cleanups.length) cleanups.pop()?.();
      app.dispose();
    },
  };
}

/**
 * The first date or number a page formats for the user's locale costs 10–70 ms (ICU loads its
 * data): the provenance header's date and the graph's counts paid it inside the first render.
 * Done right after `ready`, while the host builds the snapshot, it is paid before the snapshot comes.
 */
function warmLocale(): void {
  new Date(0).toLocaleString();
  (0).toLocaleString('en-US');
}
