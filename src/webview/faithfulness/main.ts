import { fidelityCharts, METHOD_STYLE, methodsOf, RANKING_ORDER, type FidelityMeasure } from '../../figures/faithfulnessModel';
import type { RankingMethod } from '../../protocol/faithfulness';
import type { FaithfulnessResults, FaithfulnessSideView, FaithfulnessSnapshot } from '../../protocol/faithfulnessSnapshot';
import { Component } from '../shared/component';
import { element, toolbarButton } from '../shared/controls';
import { ProvenanceHeader } from '../shared/provenanceHeader';
import { startApp, type AppHost } from '../shared/webviewApp';
import { MethodLegend, NumbersTables, SideSection, type FigureStyle } from './faithfulnessViews';

/** What the page keeps across a reload: the run (the serializer reads it), and the reader's choices. */
interface Saved {
  readonly runId: string;
  readonly measure?: FidelityMeasure;
  readonly hidden?: readonly RankingMethod[];
  readonly tableOpen?: boolean;
}

interface View {
  readonly snapshot?: FaithfulnessSnapshot;
  readonly measure: FidelityMeasure;
  readonly hidden: ReadonlySet<RankingMethod>;
  readonly tableOpen: boolean;
}

/**
 * The Faithfulness panel: fidelity against k for each edge ranking, the run above its
 * uniform-attention twin on the same y ranges, a legend that hides methods, the numbers as tables,
 * and per run the button that measures it, its progress, and its exports. State in, render out.
 */
class FaithfulnessApp extends Component<View> {
  private readonly header = this.own(new ProvenanceHeader());
  private readonly measureSelect = element('select', 'measure-select', { 'aria-label': 'Measure' });
  private readonly legend: MethodLegend;
  private readonly run: SideSection;
  private readonly twin: SideSection;
  private readonly twinNote = element('p', 'twin-note');
  private readonly compareButton: HTMLElement;
  private readonly tables: NumbersTables;
  private view: View;

  constructor(
    root: HTMLElement,
    private readonly host: AppHost<Saved>,
  ) {
    super(root);
    const saved = host.saved;
    this.view = { measure: saved?.measure === 'probability' ? 'probability' : 'fidelity', hidden: new Set((saved?.hidden ?? []).filter((m) => RANKING_ORDER.includes(m))), tableOpen: saved?.tableOpen === true };
    this.measureSelect.append(new Option('fidelity: share of predictions that change', 'fidelity'), new Option('probability drop: how much p(class) falls', 'probability'));
    this.measureSelect.value = this.view.measure;
    this.listen(this.measureSelect, 'change', () => this.update({ measure: this.measureSelect.value === 'probability' ? 'probability' : 'fidelity' }));
    this.legend = this.own(new MethodLegend((method) => this.toggleMethod(method)));
    const actions = (target: 'run' | 'twin'): ConstructorParameters<typeof SideSection>[1] => ({
      run: () => host.post({ type: 'faithfulnessRun', target }),
      cancel: () => host.post({ type: 'faithfulnessCancel', target }),
      export: (format) => host.post({ type: 'faithfulnessExport', target, format }),
    });
    this.run = this.own(new SideSection('side-run', actions('run')));
    this.twin = this.own(new SideSection('side-twin', actions('twin')));
    this.compareButton = toolbarButton('Compare with the twin', 'compare-twin', () => host.post({ type: 'compareWithTwin' }));
    this.tables = this.own(new NumbersTables(this.view.tableOpen, (open) => this.update({ tableOpen: open })));
    const toolbar = element('div', 'toolbar');
    toolbar.append(this.measureSelect, this.compareButton);
    root.append(this.header.element, toolbar, this.legend.element, this.run.element, this.twin.element, this.twinNote, this.tables.element);
  }

  receive(snapshot: FaithfulnessSnapshot): void {
    this.update({ snapshot });
  }

  update(change: Partial<View>): void {
    this.render({ ...this.view, ...change });
  }

  render(view: View): void {
    this.view = view;
    const s = view.snapshot;
    if (!s) return;
    this.host.save({ runId: s.run.runId, measure: view.measure, hidden: [...view.hidden], tableOpen: view.tableOpen });
    this.header.render(s.provenance);
    const style = figureStyle(this.element.clientWidth);
    const sides = [s.run, s.twin].filter((x): x is FaithfulnessSideView => x !== null);
    const withResults = sides.filter((x): x is FaithfulnessSideView & { results: FaithfulnessResults } => x.results !== null);
    const charts = fidelityCharts(
      withResults.map((x) => x.results),
      view.measure,
      view.hidden,
    );
    const chartsOf = (side: FaithfulnessSideView): ReturnType<typeof fidelityCharts>[number] => charts[withResults.indexOf(side as (typeof withResults)[number])] ?? [];
    const methods = RANKING_ORDER.filter((m) => withResults.some((x) => methodsOf(x.results).includes(m)));
    this.legend.element.hidden = methods.length === 0;
    this.legend.render({ methods, hidden: view.hidden, colours: style.colours });
    this.run.render({ side: s.run, heading: headingOf(s.run, false), charts: chartsOf(s.run), style });
    this.twin.element.hidden = s.twin === null;
    if (s.twin) this.twin.render({ side: s.twin, heading: headingOf(s.twin, true), charts: chartsOf(s.twin), style });
    this.twinNote.hidden = s.twin !== null;
    this.twinNote.textContent = s.twinNote ?? '';
    this.compareButton.hidden = s.twin === null;
    this.tables.render(withResults.map((x) => ({ heading: headingOf(x, x !== s.run), results: x.results })));
    document.body.dataset.faithfulnessReady = 'true';
  }

  private toggleMethod(method: RankingMethod): void {
    const hidden = new Set(this.view.hidden);
    if (!hidden.delete(method)) hidden.add(method);
    this.update({ hidden });
  }
}

function headingOf(side: FaithfulnessSideView, twin: boolean): string {
  const attention = side.attention === 'uniform' ? 'uniform attention' : 'learned attention';
  return twin ? `Twin ${side.runId} (${attention})` : `Run ${side.runId} (${attention})`;
}

/** Chart sizes for the page's width, and the theme's colours (read on each draw: a theme change redraws). */
function figureStyle(pageWidth: number): FigureStyle {
  const css = getComputedStyle(document.body);
  const colour = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  const colours = Object.fromEntries(RANKING_ORDER.map((m) => [m, colour(METHOD_STYLE[m].colourVar, METHOD_STYLE[m].fallback)])) as Record<RankingMethod, string>;
  return { width: Math.max(220, Math.min(380, Math.floor((pageWidth - 24) / 3) - 8)), colours, foreground: colour('--vscode-foreground', '#888'), offset: window.devicePixelRatio > 1 ? 0 : 0.5 };
}

startApp<Saved, FaithfulnessApp>({
  className: 'faithfulness-app',
  create: (root, host) => new FaithfulnessApp(root, host),
  messages: { faithfulnessSnapshot: (app, snapshot) => app.receive(snapshot) },
  onTheme: (app) => app.update({}),
  onResize: (app) => app.update({}),
});
