/**
 * Exports one or more drawn SVG figures (small multiples) as a single SVG document, or as a
 * PNG rendered from it, laid out in rows the way they appear on screen.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

interface Placed {
  readonly svg: SVGSVGElement;
  readonly x: number;
  readonly y: number;
}

function layout(svgs: readonly SVGSVGElement[], perRow: number): { placed: Placed[]; width: number; height: number } {
  const placed: Placed[] = [];
  let width = 0;
  let height = 0;
  let rowHeight = 0;
  let x = 0;
  svgs.forEach((svg, i) => {
    if (i > 0 && i % perRow === 0) {
      height += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    const w = Number(svg.getAttribute('width'));
    const h = Number(svg.getAttribute('height'));
    placed.push({ svg, x, y: height });
    x += w;
    width = Math.max(width, x);
    rowHeight = Math.max(rowHeight, h);
  });
  return { placed, width, height: height + rowHeight };
}

/** One standalone SVG document with every figure (and a background, so it reads anywhere). */
export function serializeSvg(svgs: readonly SVGSVGElement[], background: string, perRow = 4): string {
  const { placed, width, height } = layout(svgs, perRow);
  const doc = document.implementation.createDocument(SVG_NS, 'svg', null);
  const root = doc.documentElement;
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  if (background) {
    const rect = doc.createElementNS(SVG_NS, 'rect');
    rect.setAttribute('width', String(width));
    rect.setAttribute('height', String(height));
    rect.setAttribute('fill', background);
    root.appendChild(rect);
  }
  for (const p of placed) {
    const copy = doc.importNode(p.svg, true) as SVGSVGElement;
    copy.setAttribute('x', String(p.x));
    copy.setAttribute('y', String(p.y));
    root.appendChild(copy);
  }
  return new XMLSerializer().serializeToString(doc);
}

/** Renders the figures to a PNG data URL (2× for crisp text). */
export async function exportSvgAsPng(svgs: readonly SVGSVGElement[], background: string, perRow = 4): Promise<string> {
  const text = serializeSvg(svgs, background, perRow);
  const { width, height } = layout(svgs, perRow);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the figure could not be rendered to PNG'));
      img.src = url;
    });
    const scale = 2;
    const canvas = document.createElement('canvas');
    canvas.width = width * scale;
    canvas.height = height * scale;
    const ctx = canvas.getContext('2d')!;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    return canvas.toDataURL('image/png');
  } finally {
    URL.revokeObjectURL(url);
  }
}
