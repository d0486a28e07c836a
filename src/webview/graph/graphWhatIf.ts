/**
 * What-if edits reached from the graph panel (pure: tested in Node). A graph view has no rows to put
 * a "Remove edge" button on, so an edge is named by two nodes the panel already has: the selected
 * node (clicked, or Enter) is the one whose computation is edited, and a neighbour of it (right-
 * clicked, or reached with the arrow keys, which move along edges first) is the edge's other end.
 * Node ids here are the page's (an inductive dataset's graph numbers its nodes locally).
 */
import type { GraphModel } from '../../figures/graphModel';

type Adjacency = Pick<GraphModel, 'offsets' | 'neighbours'>;

/** Open `node`'s computation at its what-if section, with the edge from `removeEdgeFrom` removed first. */
export interface GraphWhatIf {
  readonly node: number;
  readonly removeEdgeFrom?: number;
}

export function areNeighbours(m: Adjacency, a: number, b: number): boolean {
  for (let k = m.offsets[a]; k < m.offsets[a + 1]; k++) if (m.neighbours[k] === b) return true;
  return false;
}

/**
 * Delete with the keyboard on the graph: the edge between the selected node and the focused one,
 * removed in the selected node's computation; or the one line that says how to name an edge.
 */
export function removeEdgeRequest(m: Adjacency, selected: number | undefined, focused: number | undefined, name: (node: number) => string): GraphWhatIf | string {
  const how = 'select a node (click it, or Enter), move to one of its neighbours with the arrow keys, then Delete removes their edge in the selected node’s computation (what if)';
  if (selected === undefined || focused === undefined || selected === focused) return `To remove an edge: ${how}.`;
  if (!areNeighbours(m, selected, focused)) return `Node ${name(focused)} is not a neighbour of the selected node ${name(selected)}: ${how}.`;
  return { node: selected, removeEdgeFrom: focused };
}

/**
 * The context keys of a node's VS Code menu beyond `webviewSection`: on a neighbour of the selected
 * node, that node too, so the menu offers "Remove Edge to Selected Node (What If)" (and the selection
 * stays where it was). Elsewhere none: the right-clicked node becomes the selection.
 */
export function nodeMenuKeys(m: Adjacency, selected: number | undefined, node: number): { readonly edgeToSelected?: true; readonly selected?: number } {
  return selected !== undefined && selected !== node && areNeighbours(m, selected, node) ? { edgeToSelected: true, selected } : {};
}
