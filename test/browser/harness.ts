/**
 * Browser-test harness: real headless Debian Chromium (playwright-core, never a downloaded
 * browser) on a page that loads a built webview bundle (dist/webview/<app>.js) with a test host
 * standing in for VS Code: `acquireVsCodeApi` records posted messages and stores state, and
 * the test posts real snapshots. Theme variables mimic VS Code's light and dark themes.
 * Self-contained (node built-ins and playwright-core only): the panel bench uses it too.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { HostToWebview, WebviewToHost } from '../../src/protocol/webviewMessages';

export type HarnessTheme = 'vscode-dark' | 'vscode-light' | 'vscode-high-contrast';

const THEME_CSS = `
body.vscode-dark { --vscode-editor-background:#1e1e1e; --vscode-editor-foreground:#d4d4d4; --vscode-foreground:#cccccc; --vscode-descriptionForeground:#9d9d9d; --vscode-focusBorder:#007fd4; --vscode-editorWidget-background:#252526; --vscode-editorWidget-border:#454545; --vscode-editorHoverWidget-background:#252526; --vscode-editorHoverWidget-border:#454545; --vscode-input-background:#3c3c3c; --vscode-input-foreground:#cccccc; --vscode-textLink-foreground:#3794ff; --vscode-charts-blue:#3794ff; --vscode-charts-orange:#d18616; --vscode-charts-purple:#b180d7; --vscode-charts-green:#89d185; --vscode-charts-red:#f14c4c; --vscode-charts-yellow:#cca700; --vscode-font-family:sans-serif; --vscode-font-size:13px; }
body.vscode-light { --vscode-editor-background:#ffffff; --vscode-editor-foreground:#000000; --vscode-foreground:#616161; --vscode-descriptionForeground:#717171; --vscode-focusBorder:#0090f1; --vscode-editorWidget-background:#f3f3f3; --vscode-editorWidget-border:#c8c8c8; --vscode-editorHoverWidget-background:#f3f3f3; --vscode-editorHoverWidget-border:#c8c8c8; --vscode-input-background:#ffffff; --vscode-input-foreground:#616161; --vscode-textLink-foreground:#006ab1; --vscode-charts-blue:#1a85ff; --vscode-charts-orange:#d18616; --vscode-charts-purple:#652d90; --vscode-charts-green:#388a34; --vscode-charts-red:#e51400; --vscode-charts-yellow:#bf8803; --vscode-font-family:sans-serif; --vscode-font-size:13px; }
body.vscode-high-contrast { --vscode-editor-background:#000000; --vscode-editor-foreground:#ffffff; --vscode-foreground:#ffffff; --vscode-descriptionForeground:#ffffff; --vscode-focusBorder:#f38518; --vscode-contrastBorder:#6fc3df; --vscode-editorWidget-background:#0c141f; --vscode-editorWidget-border:#6fc3df; --vscode-input-background:#000000; --vscode-input-foreground:#ffffff; --vscode-textLink-foreground:#21a6ff; --vscode-charts-blue:#3794ff; --vscode-charts-orange:#d18616; --vscode-charts-purple:#b180d7; --vscode-charts-green:#89d185; --vscode-charts-red:#f14c4c; --vscode-charts-yellow:#cca700; --vscode-font-family:sans-serif; --vscode-font-size:13px; }
`;

export interface PanelPage {
  readonly page: Page;
  /** Messages the webview posted to the "host", in order. */
  posted(): Promise<WebviewToHost[]>;
  post(message: HostToWebview): Promise<void>;
  state<T>(): Promise<T | undefined>;
  setTheme(theme: HarnessTheme): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserHandle {
  readonly browser: Browser;
  close(): Promise<void>;
}

/** `extraArgs`: the bench adds flags that lift the 60 Hz frame cap, to time frames. */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<BrowserHandle> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gat-browser-'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
    env: { ...process.env, HOME: home },
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface OpenOptions {
  readonly theme?: HarnessTheme;
  readonly width?: number;
  readonly height?: number;
  /** What getState() returns at start (as after a reload). */
  readonly state?: unknown;
  /** Data attributes of <body>, as the host writes them (e.g. { 'graph-renderer': 'canvas' }). */
  readonly bodyData?: Readonly<Record<string, string>>;
  /** Another bundle to load instead of dist/webview/<app>.js (a test's own app). */
  readonly script?: string;
}

/** Opens a fresh page with the app bundle and the test host; resolves once the app said `ready`. */
export async function openPanel(handle: BrowserHandle, repoRoot: string, app: string, options: OpenOptions = {}): Promise<PanelPage> {
  const page = await handle.browser.newPage({ viewport: { width: options.width ?? 1100, height: options.height ?? 760 }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const css = readFileSync(path.join(repoRoot, 'media', 'webview.css'), 'utf8');
  const host = `window.__posted = []; window.__state = ${JSON.stringify(options.state ?? null)} ?? undefined;
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))), getState: () => window.__state, setState: (s) => { window.__state = s; } });`;
  await page.setContent(`<!DOCTYPE html><html><head><meta charset="utf-8"><style>${THEME_CSS}\n${css}</style><script>${host}</script></head><body class="${options.theme ?? 'vscode-dark'}"${Object.entries(options.bodyData ?? {}).map(([k, v]) => ` data-${k}="${v}"`).join('')}><div id="app" role="main"></div></body></html>`);
  await page.addScriptTag({ path: options.script ?? path.join(repoRoot, 'dist', 'webview', `${app}.js`) });
  await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  return {
    page,
    posted: () => page.evaluate(() => (window as unknown as { __posted: WebviewToHost[] }).__posted),
    post: (message) => page.evaluate((m) => window.postMessage(m, '*'), message as unknown as Record<string, unknown>),
    state: <T>() => page.evaluate(() => (window as unknown as { __state: unknown }).__state) as Promise<T | undefined>,
    setTheme: (theme) => page.evaluate((t) => (document.body.className = t), theme).then(() => undefined),
    close: () => page.close(),
  };
}

/** Runs `body` on a panel as it opens, and closes the panel whatever the body does. */
export async function withPanel<T>(opening: Promise<PanelPage>, body: (p: PanelPage) => Promise<T>): Promise<T> {
  const p = await opening;
  try {
    return await body(p);
  } finally {
    await p.close();
  }
}
