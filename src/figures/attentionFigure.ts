import type { AttentionSnapshotData } from '../protocol/analysisSnapshots';
import { attentionDistanceLayout, edgeWidth, radialLayout, uniformWeight, type PlacedNeighbour } from './attentionModel';

export interface AttentionFigureOptions {
  readonly head: number;
  readonly layout: 'radial' | 'distance';
  readonly relative: boolean;
  /** Side of the square drawing in px. */
  readonly size: number;
  readonly classColours: readonly string[];
  readonly foreground: string;
  readonly edgeColour: string;
  readonly background?: string;
}

const f = (v: number): string => (Math.round(v * 100) / 100).toString();

/**
 * One head's neighbourhood as SVG markup: edges from the focus node to each neighbour with
 * width = attention (or attention relative to uniform), nodes coloured by class, the self-loop
 * as a ring. Each edge and node carries `data-node` (and edges `data-weight`) so a panel can
 * find them on hover and click. Pure: the panel and `gat visualize` draw from the same code.
 */
export function attentionFigure(data: AttentionSnapshotData, o: AttentionFigureOptions): string {
  const placed: PlacedNeighbour[] = o.layout === 'radial' ? radialLayout(data.neighbours, o.head) : attentionDistanceLayout(data.neighbours, o.head);
  const uniform = uniformWeight(data);
  const c = o.size / 2;
  const r = o.size / 2 - 18;
  const at = (p: PlacedNeighbour): [number, number] => (p.isSelf ? [c, c] : [c + p.x * r, c + p.y * r]);
  const nodeRadius = Math.max(2.5, Math.min(7, 90 / Math.sqrt(placed.length)));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${o.size}" height="${o.size}" viewBox="0 0 ${o.size} ${o.size}" role="img" class="attention-svg" aria-label="Attention of node ${data.node}, layer ${data.layer}, head ${o.head + 1}">`);
  if (o.background) out.push(`<rect width="${o.size}" height="${o.size}" fill="${o.background}"/>`);
  out.push('<g class="edges">');
  for (const p of placed) {
    const w = f(edgeWidth(p.weights[o.head], uniform, o.relative ? 'relative' : 'absolute'));
    const common = `stroke="${o.edgeColour}" stroke-width="${w}" stroke-opacity="0.7" data-node="${p.node}" data-weight="${p.weights[o.head]}"`;
    if (p.isSelf) out.push(`<circle cx="${f(c)}" cy="${f(c)}" r="${f(nodeRadius * 2.2)}" fill="none" ${common} class="edge self"/>`);
    else {
      const [x, y] = at(p);
      out.push(`<line x1="${f(c)}" y1="${f(c)}" x2="${f(x)}" y2="${f(y)}" ${common} class="edge"/>`);
    }
  }
  out.push('</g><g class="nodes">');
  for (const p of placed) {
    const [x, y] = at(p);
    const fill = o.classColours[p.label % o.classColours.length];
    out.push(
      `<circle cx="${f(x)}" cy="${f(y)}" r="${f(p.isSelf ? nodeRadius * 1.6 : nodeRadius)}" fill="${fill}" stroke="${o.foreground}" stroke-width="${p.isSelf ? 1.5 : 0.5}" data-node="${p.node}" class="${p.isSelf ? 'node focus' : 'node'}" tabindex="0" aria-label="node ${p.node}, attention ${p.weights[o.head].toFixed(4)}"/>`,
    );
  }
  out.push('</g>');
  out.push(`<text x="6" y="14" fill="${o.foreground}" font-size="11" class="head-label">head ${o.head + 1}</text>`);
  out.push('</svg>');
  return out.join('');
}
