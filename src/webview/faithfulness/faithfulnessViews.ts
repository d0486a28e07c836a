import { fidelityFigure } from '../../figures/faithfulnessFigure';
import { METHOD_STYLE, TABLE_COLUMNS, tableRows, verdict, type FidelityChart } from '../../figures/faithfulnessModel';
import type { RankingMethod } from '../../protocol/faithfulness';
import type { FaithfulnessResults, FaithfulnessSideView } from '../../protocol/faithfulnessSnapshot';
import { Component } from '../shared/component';
import { element, sideScroll, toolbarButton } from '../shared/controls';
import { drawFigures } from '../shared/figureGrid';

/** What a side's buttons ask of the host. */
export interface SideActions {
  run(): void;
  cancel(): void;
  export(format: 'csv' | 'json'): void;
}

/** How the charts are drawn: sizes and the theme's colours (read once per draw by the app). */
export interface FigureStyle {
  readonly width: number;
  readonly colours: Readonly<Record<RankingMethod, string>>;
  readonly foreground: string;
  readonly offset: number;
}

export interface SideState {
  readonly side: FaithfulnessSideView;
  /** "run …" or "uniform-attention twin …": the heading and the charts' accessible names. */
  readonly heading: string;
  /** The side's charts (none without results). */
  readonly charts: readonly FidelityChart[];
  readonly style: FigureStyle;
}

/**
 * One run of the panel: its heading, the one-line verdict, its buttons (measure, cancel, export),
 * the progress of a measurement under way, and its charts; without results, the empty state with
 * the button that measures it.
 */
export class SideSection extends Component<SideState> {
  private readonly heading = element('h2', 'side-heading');
  private readonly status = element('p', 'side-status', { 'aria-live': 'polite' });
  private readonly progress = element('progress', 'side-progress', { max: '1' });
  private readonly runButton: HTMLElement;
  private readonly cancelButton: HTMLElement;
  private readonly exportButtons: HTMLElement[];
  private readonly grid = element('div', 'fidelity-grid');

  constructor(cls: string, actions: SideActions) {
    super(element('section', `faithfulness-side ${cls}`));
    this.runButton = toolbarButton('Run faithfulness…', 'run-faithfulness', actions.run);
    this.cancelButton = toolbarButton('Cancel', 'cancel-faithfulness', actions.cancel);
    this.exportButtons = [toolbarButton('Export CSV', 'export-csv', () => actions.export('csv')), toolbarButton('Export JSON', 'export-json', () => actions.export('json'))];
    const buttons = element('div', 'toolbar');
    buttons.append(this.runButton, this.cancelButton, ...this.exportButtons, this.progress);
    this.element.append(this.heading, this.status, buttons, this.grid);
  }

  render(s: SideState): void {
    const { side } = s;
    this.element.dataset.runId = side.runId;
    this.heading.textContent = s.heading;
    const running = side.running;
    this.progress.hidden = !running;
    this.cancelButton.hidden = !running;
    this.runButton.hidden = running !== undefined;
    this.runButton.textContent = side.results ? 'Run again…' : 'Run faithfulness…';
    for (const b of this.exportButtons) b.hidden = !side.results || running !== undefined;
    if (running) {
      if (running.total > 0) this.progress.value = running.done / running.total;
      else this.progress.removeAttribute('value'); // indeterminate while the CLI loads the run
      this.progress.setAttribute('aria-label', `faithfulness of ${side.runId}`);
    }
    this.status.classList.toggle('error', side.problem !== undefined);
    this.status.textContent = statusText(side);
    this.element.dataset.state = running ? 'running' : side.results ? 'results' : 'empty';
    drawFigures(this.grid, side.results ? s.charts.map((chart) => fidelityFigure(chart, { ...s.style, height: 210, subject: s.heading })) : []);
  }
}

function statusText(side: FaithfulnessSideView): string {
  const running = side.running;
  if (running) {
    const where = running.total > 0 ? `${running.done}/${running.total} nodes (${Math.floor((100 * running.done) / running.total)}%), ${running.seconds.toFixed(0)} s` : 'loading the run';
    return `Measuring faithfulness: ${where}.${side.results ? ' The charts show the results saved before.' : ''}`;
  }
  if (side.problem) return side.problem;
  if (!side.results) return `No faithfulness results for run ${side.runId} yet. Run faithfulness to rank each node's edges by attention, leave-one-out, saliency and Integrated Gradients, and see how often removing the top k changes the prediction, against a random ranking.`;
  return verdict(side.results) || `${side.results.selection}, ${side.results.nodes} nodes.`;
}

/** The legend: a button per method that shows or hides its lines (aria-pressed), random dashed. */
export class MethodLegend extends Component<{ readonly methods: readonly RankingMethod[]; readonly hidden: ReadonlySet<RankingMethod>; readonly colours: Readonly<Record<RankingMethod, string>> }> {
  constructor(toggle: (method: RankingMethod) => void) {
    super(element('div', 'fidelity-legend', { role: 'group', 'aria-label': 'Methods (press to show or hide)' }));
    this.listen(this.element, 'click', (e) => {
      const b = e.target instanceof Element ? e.target.closest<HTMLElement>('button[data-method]') : null;
      if (b) toggle(b.dataset.method as RankingMethod);
    });
  }

  render(s: { readonly methods: readonly RankingMethod[]; readonly hidden: ReadonlySet<RankingMethod>; readonly colours: Readonly<Record<RankingMethod, string>> }): void {
    // The same methods keep their buttons (a button pressed from the keyboard keeps the focus).
    const buttons = [...this.element.querySelectorAll<HTMLButtonElement>('button[data-method]')];
    if (buttons.map((b) => b.dataset.method).join() !== s.methods.join()) {
      this.element.replaceChildren(
        ...s.methods.map((method) => {
          const b = element('button', 'legend-toggle', { type: 'button', 'data-method': method });
          b.append(element('span', `line-swatch${METHOD_STYLE[method].dashed ? ' dashed' : ''}`), METHOD_STYLE[method].label);
          return b;
        }),
      );
    }
    for (const b of this.element.querySelectorAll<HTMLButtonElement>('button[data-method]')) {
      const method = b.dataset.method as RankingMethod;
      b.setAttribute('aria-pressed', String(!s.hidden.has(method)));
      (b.firstElementChild as HTMLElement).style.borderColor = s.colours[method];
    }
  }
}

/** The numbers the charts draw, as tables (one per run) inside a disclosure: the screen reader's view. */
export class NumbersTables extends Component<ReadonlyArray<{ readonly heading: string; readonly results: FaithfulnessResults }>> {
  private readonly body = element('div', 'numbers-body');

  constructor(open: boolean, onToggle: (open: boolean) => void) {
    super(element('details', 'fidelity-numbers'));
    const summary = element('summary', 'numbers-summary');
    summary.textContent = 'The numbers, as tables';
    (this.element as HTMLDetailsElement).open = open;
    this.element.append(summary, this.body);
    this.listen(this.element, 'toggle', () => onToggle((this.element as HTMLDetailsElement).open));
  }

  render(sides: ReadonlyArray<{ readonly heading: string; readonly results: FaithfulnessResults }>): void {
    this.element.hidden = sides.length === 0;
    this.body.replaceChildren(
      ...sides.map(({ heading, results }) => {
        const table = element('table', 'fidelity-table');
        table.createCaption().textContent = `${heading}: ${results.selection} (${results.nodes} nodes)`;
        const head = table.createTHead().insertRow();
        for (const c of TABLE_COLUMNS) head.append(Object.assign(document.createElement('th'), { textContent: c, scope: 'col' }));
        const body = table.createTBody();
        for (const r of tableRows(results)) {
          const tr = body.insertRow();
          tr.dataset.method = r.method;
          tr.dataset.k = String(r.k);
          tr.append(Object.assign(document.createElement('th'), { textContent: r.label, scope: 'row' }));
          tr.insertCell().textContent = String(r.k);
          for (const c of r.cells) tr.insertCell().textContent = c;
        }
        return sideScroll(table);
      }),
    );
  }
}
