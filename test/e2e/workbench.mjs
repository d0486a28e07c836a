/* global window, document, MutationObserver */
// Playwright helpers for driving the VS Code workbench served by code-server, as a user would:
// the command palette, quick picks, tree views, editor tabs, notifications and webview panels.
import { sleep } from '../extension/processes.mjs';

/** Text as a user reads it: Monaco renders spaces as no-break spaces. */
export const plain = (s) => (s ?? '').replace(/\u00a0/g, ' ');

export async function waitForWorkbench(page, timeout = 60_000) {
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout });
}

const quickInput = (page) => page.locator('.quick-input-widget .quick-input-box input');
const quickRows = (page) => page.locator('.quick-input-widget .quick-input-list .monaco-list-row');

/**
 * F1, type `>title`, click the matching row. An open palette showing "No matching commands" does
 * not refresh while the extension's commands register: close it and try again (vscode-e2e.md).
 */
export async function runCommand(page, title, { attempts = 4 } = {}) {
  for (let i = 0; i < attempts; i++) {
    await page.keyboard.press('F1');
    try {
      await quickInput(page).waitFor({ state: 'visible', timeout: 3_000 });
    } catch {
      // focus was somewhere that swallowed F1 (a webview still loading): focus the workbench and retry
      await page.locator('.part.statusbar').click({ position: { x: 2, y: 2 } }).catch(() => {});
      continue;
    }
    await quickInput(page).fill(`>${title}`);
    const row = quickRows(page).filter({ hasText: title }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 3_000 });
      await row.click();
      return;
    } catch {
      await page.keyboard.press('Escape');
      await sleep(1_000);
    }
  }
  throw new Error(`command "${title}" not found in the command palette after ${attempts} tries`);
}

/** In an open quick pick: type `text`, wait for a row whose label starts with `label`, pick it. */
export async function pickQuickItem(page, text, label, timeout = 15_000) {
  await quickInput(page).waitFor({ state: 'visible', timeout });
  await quickInput(page).fill(text);
  const row = quickRows(page).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}`) }) }).first();
  await row.waitFor({ state: 'visible', timeout });
  await row.click();
}

export function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A pane of the side bar by its header title (Datasets, Runs, Training). */
export function sidebarPane(page, title) {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header .title', { hasText: new RegExp(`^${escapeRegExp(title)}$`, 'i') }) });
}

export const treeRows = (pane) => pane.locator('.pane-body .monaco-list-row');

export const tabs = (page) => page.locator('.part.editor .tabs-container .tab');
export const tab = (page, text) => tabs(page).filter({ hasText: text }).first();
export const activeTab = (page) => page.locator('.part.editor .tabs-container .tab.active').first();

export async function tabTitles(page) {
  return (await tabs(page).locator('.label-name').allTextContents()).map(plain);
}

/** The visible text of the active text editor (the rendered lines only). */
export async function editorText(page) {
  const lines = page.locator('.part.editor .editor-instance .monaco-editor .view-lines:visible').first();
  await lines.waitFor({ state: 'visible' });
  return plain(await lines.innerText());
}

/**
 * The content frame (outer iframe.webview, inner iframe#active-frame) of the webview panel shown
 * in the editor area (or `part`) whose document has `selector`: waits until there is one. The side
 * bar's Training view is a webview too, so candidates are the visible webviews over that part.
 */
export async function webview(page, selector = 'body', timeout = 20_000, part = '.part.editor') {
  const deadline = Date.now() + timeout;
  for (;;) {
    const editor = await page.locator(part).boundingBox();
    const frames = page.locator('iframe.webview.ready:visible');
    const n = await frames.count();
    for (let i = 0; i < n; i++) {
      const box = await frames.nth(i).boundingBox().catch(() => null);
      const name = await frames.nth(i).getAttribute('name').catch(() => null);
      if (!box || !name || !editor) continue;
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      if (cx < editor.x || cx > editor.x + editor.width || cy < editor.y || cy > editor.y + editor.height) continue;
      const frame = page.frameLocator(`iframe.webview[name="${name}"]`).frameLocator('iframe#active-frame');
      if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview in ${part} shows ${selector} within ${timeout / 1000} s`);
    await sleep(250);
  }
}

/** Records every notification toast's text as it appears (progress messages come and go). */
export async function recordToasts(page) {
  await page.evaluate(() => {
    const w = window;
    w.__gatToasts = w.__gatToasts ?? [];
    const seen = new Set(w.__gatToasts);
    const scan = () => {
      for (const el of document.querySelectorAll('.notifications-toasts .notification-toast')) {
        const t = el.innerText ?? '';
        if (t && !seen.has(t)) {
          seen.add(t);
          w.__gatToasts.push(t);
        }
      }
    };
    new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, characterData: true });
    scan();
  });
}

export const recordedToasts = (page) => page.evaluate(() => window.__gatToasts ?? []);

export const toasts = (page) => page.locator('.notifications-toasts .notification-toast');
