/**
 * The page set-up every webview app shares (src/webview/shared/webviewApp.ts), on a minimal app
 * (fixtures/echoApp.ts) bundled here: the root's class, the saved state handed in, host messages
 * routed to the app, theme and settled-resize redraws, the ready handshake, and dispose.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { repoRoot } from '../helpers/paths';
import { launchChromium, openPanel, withPanel, type BrowserHandle, type PanelPage } from './harness';

describe('the shared page set-up of webview apps (startApp)', () => {
  const script = path.join(repoRoot, 'out', 'test', 'browser-fixtures', 'echoApp.js');
  let chromium: BrowserHandle;
  before(async () => {
    await esbuild.build({ entryPoints: [path.join(repoRoot, 'test', 'browser', 'fixtures', 'echoApp.ts')], outfile: script, bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning' });
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
  });

  const open = (state?: unknown): Promise<PanelPage> => openPanel(chromium, repoRoot, 'echo', { script, state });
  const echo = (p: PanelPage, attr: string): Promise<string | null> => p.page.getAttribute('.echo', attr);

  it('mounts on #app with its class, hands in the saved state and says ready once, last', async () => {
    await withPanel(open({ epoch: 7 }), async (p) => {
      assert.equal(await p.page.getAttribute('#app', 'class'), 'echo-app');
      assert.equal(await echo(p, 'data-saved'), '{"epoch":7}');
      assert.deepEqual(await p.posted(), [{ type: 'ready' }]);
    });
  });

  it('routes host messages to the app, which saves its state and posts through the host', async () => {
    await withPanel(open(), async (p) => {
      assert.equal(await echo(p, 'data-saved'), 'null');
      await p.post({ type: 'markEpoch', epoch: 12 });
      await p.page.waitForSelector('.echo:text("epoch 12")');
      assert.deepEqual(await p.state(), { epoch: 12 });
      // a message of a type the app does not take changes nothing
      await p.post({ type: 'graphFocus', node: 3 });
      await p.post({ type: 'markEpoch', epoch: 13 });
      await p.page.waitForSelector('.echo:text("epoch 13")');
      await p.page.click('.echo');
      assert.deepEqual(await p.posted(), [{ type: 'ready' }, { type: 'openFile', path: 'clicked' }]);
    });
  });

  it('redraws on a theme change at once, and on a resize once it has settled', async () => {
    await withPanel(open(), async (p) => {
      await p.setTheme('vscode-light');
      await p.page.waitForSelector('.echo[data-themes="1"]');
      for (const width of [900, 800, 700]) await p.page.setViewportSize({ width, height: 600 });
      await p.page.waitForSelector('.echo[data-resizes="1"]');
      await p.page.waitForTimeout(300);
      assert.equal(await echo(p, 'data-resizes'), '1', 'one redraw for a burst of resize events');
    });
  });

  it('dispose removes the app and every listener the page added', async () => {
    await withPanel(open(), async (p) => {
      await p.page.evaluate(() => (window as unknown as { echoApp: { dispose(): void } }).echoApp.dispose());
      assert.equal(await p.page.$('.echo'), null);
      assert.equal(await p.page.$('#app'), null, 'the app component owned the root');
      await p.post({ type: 'markEpoch', epoch: 1 });
      await p.setTheme('vscode-light');
      await p.page.waitForTimeout(200);
      assert.deepEqual(await p.state(), undefined, 'nothing drew after dispose');
      assert.deepEqual(await p.posted(), [{ type: 'ready' }]);
    });
  });
});
