import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { loadPlanetoid } from '../../src/gat/data/planetoid';
import { standaloneHtml } from '../../src/gat/figures/standalonePage';
import { degreeSnapshot } from '../../src/gat/panels/graphSnapshot';
import { panelProvenance } from '../../src/gat/panels/provenance';
import type { DegreeSnapshot } from '../../src/protocol/webviewMessages';
import { repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';
import { launchChromium, type BrowserHandle } from './harness';

/** A standalone page (what `gat visualize` writes) answers only its own window's messages. */
describe('standalone page in Chromium: messages from other windows are ignored', () => {
  let chromium: BrowserHandle;
  let s: DegreeSnapshot;
  let file: string;
  before(async () => {
    const cora = await loadPlanetoid('cora');
    s = degreeSnapshot(cora, panelProvenance(cora));
    const bundle = readFileSync(path.join(repoRoot, 'dist', 'webview', 'degrees.js'), 'utf8');
    file = path.join(tempDir('gat-standalone-'), 'degrees.html');
    writeFileSync(file, standaloneHtml({ title: 'Cora degrees', app: 'degrees', snapshot: s, nav: [] }, bundle, ''));
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
  });

  it('a snapshot posted from a frame changes nothing; the same snapshot from the page itself is drawn', async () => {
    const page = await chromium.browser.newPage();
    try {
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-degrees-ready="true"]');
      assert.match(await page.locator('body').innerText(), /cora/i);
      const forged = { ...s, provenance: { ...s.provenance, dataset: 'FORGED-DATASET' } };
      // Another window: a frame in the page posts to its parent, as a framing or framed page would.
      await page.evaluate((message) => {
        const frame = document.createElement('iframe');
        frame.srcdoc = `<script>parent.postMessage(${JSON.stringify(message).replace(/</g, '\\u003c')}, '*');</script>`;
        document.body.append(frame);
      }, forged);
      await page.waitForTimeout(500);
      assert.doesNotMatch(await page.locator('body').innerText(), /FORGED-DATASET/, 'a frame drove the page');
      // The control: the page's own window is heard, so the check above could have failed.
      await page.evaluate((message) => window.postMessage(message, '*'), forged);
      await page.waitForFunction(() => document.body.innerText.includes('FORGED-DATASET'), undefined, { timeout: 5000 });
    } finally {
      await page.close();
    }
  });
});
