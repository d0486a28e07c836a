import type { WebviewToHost } from '../../protocol/webviewMessages';
import { exportSvgAsPng, serializeSvg } from './exportSvg';

/**
 * Small multiples (one figure per head) in a grid: the container gets the figures and `data-drawn`,
 * how many are on screen (tests and the bench wait for it). The figures' markup (src/figures draws it
 * for the panels and `gat visualize` alike) is parsed once, straight into the grid: an XML DOMParser
 * per figure plus importNode cost five times as much on the attention panel's 8 heads × 169
 * neighbours, and parsing into a <template> first made the browser adopt every node into the page.
 */
export function drawFigures(grid: HTMLElement, markup: readonly string[]): void {
  grid.innerHTML = markup.join('');
  grid.dataset.drawn = String(markup.length);
}

/** The editor's background, which exported figures are drawn on. */
export function editorBackground(fallback = ''): string {
  return getComputedStyle(document.body).getPropertyValue('--vscode-editor-background').trim() || fallback;
}

/** Posts the grid's figures to the host as one file, laid out as on screen (`name` without extension). */
export async function exportFigures(grid: HTMLElement, format: 'svg' | 'png', name: string, background: string, post: (m: WebviewToHost) => void): Promise<void> {
  const svgs = [...grid.querySelectorAll('svg')];
  const data = format === 'svg' ? serializeSvg(svgs, background) : await exportSvgAsPng(svgs, background);
  post({ type: 'exportImage', format, data, suggestedName: `${name}.${format}` });
}
