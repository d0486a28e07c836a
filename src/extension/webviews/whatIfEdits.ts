/**
 * The what-if edits of the node a Computation panel shows: a list the user grows from the panel,
 * undoes one edit at a time, or resets. Each change makes a new value; the panel keeps it only once
 * the explain server has computed it (an edit the graph refuses leaves the list as it was).
 */
import { describeEdit } from '../../gat/explain/graphEdits';
import type { WhatIfEdit } from '../../protocol/explainServer';
import type { PanelEdit } from '../../protocol/whatIf';

/** What the panel checks a typed id against before asking for anything. */
export interface GraphLimits {
  readonly dataset: string;
  readonly numNodes: number;
  readonly numFeatures: number;
}

export class WhatIfEdits {
  constructor(
    readonly node: number,
    readonly edits: readonly WhatIfEdit[] = [],
    /** Edge edits touch one direction only (a scenario may say so; the panel's own edits touch both on an undirected graph). */
    readonly directed = false,
  ) {}

  get isEmpty(): boolean {
    return this.edits.length === 0;
  }

  /** One more edit at the end; a string says why it cannot be added (it is already in the list). */
  with(edit: WhatIfEdit): WhatIfEdits | string {
    const key = JSON.stringify(edit);
    if (this.edits.some((e) => JSON.stringify(e) === key)) return `${describeEdit(edit, this.directed)} is already in the list`;
    return new WhatIfEdits(this.node, [...this.edits, edit], this.directed);
  }

  /** Without the edit at `index` (the ones after it stay, in order); a string when there is none. */
  without(index: number): WhatIfEdits | string {
    if (!Number.isInteger(index) || index < 0 || index >= this.edits.length) return `there is no edit ${index + 1} to undo (${this.edits.length} in the list)`;
    return new WhatIfEdits(this.node, this.edits.filter((_, k) => k !== index), this.directed);
  }

  reset(): WhatIfEdits {
    return new WhatIfEdits(this.node, [], this.directed);
  }

  /** The same edit list, as a key (a reply belongs to the request it answers). */
  get key(): string {
    return JSON.stringify([this.node, this.edits, this.directed]);
  }
}

/** The engine's edit for a panel edit of `node`: the edge from the named node to it, or one of its features. */
export function engineEdit(node: number, e: PanelEdit): WhatIfEdit {
  switch (e.kind) {
    case 'remove-edge':
    case 'add-edge':
      return { kind: e.kind, source: e.node, target: node };
    case 'feature-off':
    case 'feature-on':
      return { kind: e.kind, node, feature: e.feature };
  }
}

/** Why a panel edit names a node or feature the graph does not have, or undefined (the host checks ids before any work). */
export function outOfRange(e: PanelEdit, g: GraphLimits): string | undefined {
  if ((e.kind === 'remove-edge' || e.kind === 'add-edge') && e.node >= g.numNodes) return `node ${e.node} does not exist in ${g.dataset}: node ids are 0 to ${g.numNodes - 1}`;
  if ((e.kind === 'feature-off' || e.kind === 'feature-on') && e.feature >= g.numFeatures) return `feature ${e.feature} does not exist in ${g.dataset}: features are 0 to ${g.numFeatures - 1}`;
  return undefined;
}
