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
  const nodeRadius = Math.max(2.5, Math.min(7, 90 / Math.sqrt(placed.length)));
  // What every edge and node shares, written once (a panel draws 8 heads × 169 neighbours of each).
  const centre = f(c);
  const edgePaint = `stroke="${o.edgeColour}" stroke-width="`;
  const edgeRest = `" stroke-opacity="0.7" data-node="`;
  const nodeRadiusText = f(nodeRadius);
  const mode = o.relative ? 'relative' : 'absolute';
  // Each neighbour's place, as its edge and its disc both write it.
  const at = placed.map((p) => (p.isSelf ? [centre, centre] : [f(c + p.x * r), f(c + p.y * r)]));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${o.size}" height="${o.size}" viewBox="0 0 ${o.size} ${o.size}" role="img" class="attention-svg" aria-label="Attention of node ${data.node}, layer ${data.layer}, head ${o.head + 1}">`);
  if (o.background) out.push(`<rect width="${o.size}" height="${o.size}" fill="${o.background}"/>`);
  out.push('<g class="edges">');
  placed.forEach((p, i) => {
    const weight = p.weights[o.head];
    const common = `${edgePaint}${f(edgeWidth(weight, uniform, mode))}${edgeRest}${p.node}" data-weight="${weight}"`;
    if (p.isSelf) out.push(`<circle cx="${centre}" cy="${centre}" r="${f(nodeRadius * 2.2)}" fill="none" ${common} class="edge self"/>`);
    else out.push(`<line x1="${centre}" y1="${centre}" x2="${at[i][0]}" y2="${at[i][1]}" ${common} class="edge"/>`);
  });
  out.push('</g><g class="nodes">');
  placed.forEach((p, i) => {
    const [x, y] = at[i];
    const fill = o.classColours[p.label % o.classColours.length];
    out.push(
      `<circle cx="${x}" cy="${y}" r="${p.isSelf ? f(nodeRadius * 1.6) : nodeRadiusText}" fill="${fill}" stroke="${o.foreground}" stroke-width="${p.isSelf ? 1.5 : 0.5}" data-node="${p.node}" class="${p.isSelf ? 'node focus' : 'node'}" tabindex="0" aria-label="node ${p.node}, attention ${p.weights[o.head].toFixed(4)}"/>`,
    );
  });
  out.push('</g>');
  out.push(`<text x="6" y="14" fill="${o.foreground}" font-size="11" class="head-label">head ${o.head + 1}</text>`);
  out.push('</svg>');
  return out.join('');
}
