import type { AttentionSnapshotData } from '../../protocol/analysisSnapshots';
import { attentionFigure, type AttentionFigureOptions } from '../../figures/attentionFigure';

export type AttentionDrawOptions = AttentionFigureOptions;

/** The shared figure markup as a live SVG element in this document (for hover, click, focus). */
export function attentionSvg(doc: Document, data: AttentionSnapshotData, o: AttentionDrawOptions): SVGSVGElement {
  const parsed = new DOMParser().parseFromString(attentionFigure(data, o), 'image/svg+xml').documentElement;
  return doc.importNode(parsed, true) as unknown as SVGSVGElement;
}
