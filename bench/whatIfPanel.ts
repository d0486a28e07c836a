/**
 * The panel bench's what-if figures: one edit of Cora node 1358 (degree 168) in the Computation
 * panel, from the click to the redrawn panel. The page is the real computation app in Chromium;
 * the host is the panel's own what-if session (src/extension/webviews/whatIfSession.ts) with the
 * real explain process (dist/cli.js explain-server), so the path is the one VS Code runs, except
 * that VS Code's webview messaging is stood in for by the harness: a CDP binding page → host, and
 * host → page the snapshot as JSON text parsed in the page and posted to the app (VS Code, too,
 * sends a webview message as JSON).
 *   editMs       click on "Remove edge" → the panel redrawn with every number recomputed (page clock,
 *                one frame after the app drew it), a different neighbour each round (none answered
 *                from the server's memory of recent requests): median and p95
 *   hostMs       the message at the host → its snapshot ready to post (the explain process's forward
 *                pass on the edited graph, the reply's JSON, the scenario list): median
 *   messagingMs  the two hops of the stand-in for VS Code's messaging (editMs − hostMs − renderMs − frameMs)
 *   renderMs     the snapshot in the page → the app has drawn it (JSON.parse, the message event, the DOM)
 *   frameMs      the app's DOM drawn → the next frame
 *   undoMs       click on Undo → redrawn (back to the unedited computation, which the host keeps): median
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { WhatIfSession } from '../src/extension/webviews/whatIfSession';
import type { ExplainSources } from '../src/protocol/explanation';
import type { Provenance } from '../src/protocol/provenance';
import type { WebviewToHost } from '../src/protocol/webviewToHost';
import type { WhatIfSnapshot } from '../src/protocol/whatIf';
import { openPanel, type BrowserHandle, type PanelPage } from '../test/browser/harness';

export interface WhatIfRun {
  readonly runId: string;
  readonly runDir: string;
  readonly provenance: Provenance;
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const round = (x: number): number => Math.round(x * 100) / 100;

interface Timing {
  /** click → the frame after the app drew the answer */
  readonly total: number;
  /** the answer's JSON in the page → the app's message handler done */
  readonly render: number;
  /** the app's handler done → the next frame */
  readonly frame: number;
  /** click → the answer's JSON in the page */
  readonly untilAnswer: number;
}

/** Clicks `selector` in the page and times it until the what-if section shows `edits` edits, one frame later. */
function clickToRedrawn(p: PanelPage, selector: string, edits: number): Promise<Timing> {
  return p.page.evaluate(
    async ({ selector, edits }) => {
      const section = document.querySelector<HTMLElement>('.what-if')!;
      const w = window as unknown as { __answerAt?: number; __handledAt?: number };
      const drawn = new Promise<void>((resolve, reject) => {
        const observer = new MutationObserver(() => {
          if (section.dataset.edits === String(edits) && section.getAttribute('aria-busy') === null) {
            observer.disconnect();
            resolve();
          }
        });
        observer.observe(section, { attributes: true });
        setTimeout(() => reject(new Error(`no redraw with ${edits} edits in 10 s: ${section.querySelector('.what-if-status')?.textContent}`)), 10_000);
      });
      const t0 = performance.now();
      document.querySelector<HTMLElement>(selector)!.click();
      await drawn;
      await new Promise((r) => requestAnimationFrame(r));
      const t1 = performance.now();
      const answer = w.__answerAt ?? t1;
      const handled = w.__handledAt ?? t1;
      return { total: t1 - t0, render: handled - answer, frame: t1 - handled, untilAnswer: answer - t0 };
    },
    { selector, edits },
  );
}

export async function measureWhatIf(chromium: BrowserHandle, root: string, run: WhatIfRun, shots: string | null, rounds = 10): Promise<Record<string, unknown>> {
  const sources = JSON.parse(readFileSync(path.join(root, 'dist', 'explainSources.json'), 'utf8')) as ExplainSources;
  const p = await openPanel(chromium, root, 'computation', { theme: 'vscode-dark', width: 1200, height: 900 });
  let arrived = 0;
  const host: number[] = [];
  const session = new WhatIfSession({
    node: 1358,
    server: () => ({ cli: path.join(root, 'dist', 'cli.js'), runDir: run.runDir, cwd: path.dirname(path.dirname(run.runDir)) }),
    post: async (s: WhatIfSnapshot) => {
      host.push(performance.now() - arrived);
      // As VS Code sends it: JSON text, parsed in the page and posted to the app.
      await p.page.evaluate((json) => {
        (window as unknown as { __answerAt: number }).__answerAt = performance.now();
        window.postMessage(JSON.parse(json), '*');
      }, JSON.stringify(s));
    },
    sources: () => sources,
    confirmReplace: async () => true,
    retitle: () => undefined,
  });
  // The page's messages reach this host as they are posted (VS Code's onDidReceiveMessage).
  await p.page.exposeFunction('__toHost', (m: WebviewToHost) => {
    arrived = performance.now();
    if (m.type === 'whatIfEdit') void session.edit(m.edit);
    else if (m.type === 'whatIfUndo') void session.undo(m.index);
  });
  await p.page.evaluate(() => {
    const w = window as unknown as { __posted: unknown[]; __toHost(m: unknown): void };
    const push = w.__posted.push.bind(w.__posted);
    w.__posted.push = (...m: unknown[]) => {
      const n = push(...m);
      for (const x of m) void w.__toHost(x);
      return n;
    };
    // After the app's own listener (added when it started): when it has drawn the message.
    window.addEventListener('message', () => ((w as unknown as { __handledAt: number }).__handledAt = performance.now()));
  });
  try {
    const first = await session.snapshot({ runId: run.runId, provenance: run.provenance, graph: { name: 'cora', numNodes: 2708, numFeatures: 1433 } });
    if (first.type !== 'computationWhatIf') throw new Error(`the what-if bench could not explain node 1358: ${first.message}`);
    await p.post(first);
    await p.page.waitForSelector('body[data-computation-ready="true"] .what-if:not([hidden])');
    const strongest = first.explanation.layers[0].perHead[0].neighbours.filter((n) => !n.isSelf).sort((a, b) => b.weight - a.weight);
    const edits: Timing[] = [];
    const undos: Timing[] = [];
    host.length = 0;
    for (let i = 0; i < rounds; i++) {
      edits.push(await clickToRedrawn(p, `.neighbour-row[data-node="${strongest[i].node}"] .remove-edge`, 1));
      undos.push(await clickToRedrawn(p, '.undo-edit', 0));
    }
    const hostMs = host.filter((_, k) => k % 2 === 0); // the edits (the undos answer from the kept computation)
    const messaging = edits.map((e, k) => e.untilAnswer - hostMs[k]);
    const median = (xs: number[]): number => round(quantile(xs, 0.5));
    // What the edit showed: checked, so the figures are of a panel that worked.
    await clickToRedrawn(p, `.neighbour-row[data-node="${strongest[0].node}"] .remove-edge`, 1);
    const shown = await p.page.evaluate(() => ({
      edits: Array.from(document.querySelectorAll('.what-if-edit-text'), (e) => e.textContent),
      classes: document.querySelectorAll('.probability-row').length,
      removed: document.querySelectorAll('.neighbour-row[data-removed="true"]').length,
      rows: document.querySelectorAll('.neighbour-row').length,
      headline: document.querySelector('.prediction-change')?.textContent,
      summary: document.querySelector('.computation-summary')?.textContent,
    }));
    if (shown.classes !== 7 || shown.removed !== 1 || shown.rows !== 169) throw new Error(`the what-if panel drew ${JSON.stringify(shown)}`);
    if (shots) {
      await p.page.evaluate(() => window.scrollTo(0, 0)); // the what-if section, above the steps
      for (const theme of ['vscode-dark', 'vscode-light'] as const) {
        await p.setTheme(theme);
        await p.page.screenshot({ path: path.join(shots, `computation-what-if-${theme.replace('vscode-', '')}.png`) });
      }
    }
    const pid = session.server?.pid;
    const starts = session.server?.starts;
    return {
      node: 1358,
      degree: first.explanation.degree,
      rounds,
      editMs: median(edits.map((e) => e.total)),
      editP95Ms: round(quantile(edits.map((e) => e.total), 0.95)),
      hostMs: median(hostMs),
      messagingMs: median(messaging),
      renderMs: median(edits.map((e) => e.render)),
      frameMs: median(edits.map((e) => e.frame)),
      undoMs: median(undos.map((e) => e.total)),
      undoRenderMs: median(undos.map((e) => e.render)),
      snapshotKiB: Math.round(JSON.stringify(first).length / 1024),
      serverStarts: starts,
      serverPid: pid !== undefined,
      shown: { edits: shown.edits, headline: shown.headline },
    };
  } finally {
    session.dispose();
    await p.close();
  }
}
