import type { NodeEntry } from './degreeModel';

export interface NodeListHandlers {
  readonly open: (node: number) => void;
  readonly showInGraph: (node: number) => void;
}

const LIMIT = 500; // longer lists (degree 1–3: hundreds of nodes) are cut, with a count

/**
 * The nodes behind a bar or point, each with links to its record and its place in the graph. Ids
 * are shown as the dataset's (`offset` + the snapshot's local id, for one graph of an inductive dataset).
 */
export function renderNodeList(container: HTMLElement, title: string, nodes: readonly NodeEntry[], on: NodeListHandlers, offset = 0): void {
  const heading = document.createElement('h3');
  heading.textContent = title;
  const list = document.createElement('ul');
  list.className = 'node-list';
  for (const n of nodes.slice(0, LIMIT)) {
    const li = document.createElement('li');
    const id = n.node + offset;
    li.dataset.node = String(id);
    const text = document.createElement('span');
    text.textContent = `node ${id} · ${n.className} · degree ${n.degree}`;
    li.append(text, link('record', 'open-record', `Open the record of node ${id}`, () => on.open(n.node)), link('show in graph', 'show-in-graph', `Show node ${id} in the graph`, () => on.showInGraph(n.node)));
    list.append(li);
  }
  container.replaceChildren(heading, list);
  if (nodes.length > LIMIT) {
    const more = document.createElement('p');
    more.className = 'message';
    more.textContent = `… and ${nodes.length - LIMIT} more`;
    container.append(more);
  }
}

function link(label: string, cls: string, title: string, onClick: () => void): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = '#';
  a.className = cls;
  a.textContent = label;
  a.title = title;
  a.addEventListener('click', (e) => {
    e.preventDefault();
    onClick();
  });
  return a;
}
