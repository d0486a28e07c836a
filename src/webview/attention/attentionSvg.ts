import type { AttentionSnapshotData } from '../../protocol/analysisSnapshots';
import { attentionDistanceLayout, edgeWidth, radialLayout, uniformWeight, type PlacedNeighbour } from './attentionModel';

export interface AttentionDrawOptions {
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

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * One head's neighbourhood as an SVG element: edges from the focus node to each neighbour with
 * width = attention (or attention relative to uniform), nodes coloured by class. Each neighbour
 * carries `data-node` so hover and click find it. A self-loop is drawn as a ring around the centre.
 */
export function attentionSvg(doc: Document, data: AttentionSnapshotData, o: AttentionDrawOptions): SVGSVGElement {
  const svg = doc.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('xmlns', SVG_NS);
  svg.setAttribute('width', String(o.size));
  svg.setAttribute('height', String(o.size));
  svg.setAttribute('viewBox', `0 0 ${o.size} ${o.size}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `Attention of node ${data.node}, layer ${data.layer}, head ${o.head + 1}`);
  svg.classList.add('attention-svg');
  if (o.background) append(svg, 'rect', { width: o.size, height: o.size, fill: o.background });
  const placed: PlacedNeighbour[] = o.layout === 'radial' ? radialLayout(data.neighbours, o.head) : attentionDistanceLayout(data.neighbours, o.head);
  const uniform = uniformWeight(data);
  const c = o.size / 2;
  const r = o.size / 2 - 18;
  const px = (p: PlacedNeighbour): [number, number] => [c + p.x * r, c + p.y * r];
  const nodeRadius = Math.max(2.5, Math.min(7, 90 / Math.sqrt(placed.length)));

  const edges = append(svg, 'g', { class: 'edges' });
  for (const p of placed) {
    const w = edgeWidth(p.weights[o.head], uniform, o.relative ? 'relative' : 'absolute');
    if (p.isSelf) {
      append(edges, 'circle', { cx: c, cy: c, r: nodeRadius * 2.2, fill: 'none', stroke: o.edgeColour, 'stroke-width': w, 'stroke-opacity': 0.7, 'data-node': p.node, 'data-weight': p.weights[o.head], class: 'edge self' });
      continue;
    }
    const [x, y] = px(p);
    append(edges, 'line', { x1: c, y1: c, x2: x, y2: y, stroke: o.edgeColour, 'stroke-width': w, 'stroke-opacity': 0.7, 'data-node': p.node, 'data-weight': p.weights[o.head], class: 'edge' });
  }
  const nodes = append(svg, 'g', { class: 'nodes' });
  for (const p of placed) {
    const [x, y] = p.isSelf ? [c, c] : px(p);
    const circle = append(nodes, 'circle', { cx: x, cy: y, r: p.isSelf ? nodeRadius * 1.6 : nodeRadius, fill: o.classColours[p.label % o.classColours.length], stroke: o.foreground, 'stroke-width': p.isSelf ? 1.5 : 0.5, 'data-node': p.node, class: p.isSelf ? 'node focus' : 'node', tabindex: 0 });
    circle.setAttribute('aria-label', `node ${p.node}, attention ${p.weights[o.head].toFixed(4)}`);
  }
  append(svg, 'text', { x: 6, y: 14, fill: o.foreground, 'font-size': 11, class: 'head-label' }).textContent = `head ${o.head + 1}`;
  return svg;
}

function append(parent: Element, tag: string, attrs: Record<string, string | number>): SVGElement {
  const el = parent.ownerDocument.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  parent.appendChild(el);
  return el;
}
