import type { ComparePanelState, CompareSnapshot } from '../../protocol/compareSnapshot';
import { onHostMessage, onResizeSettled } from '../shared/hostMessages';
import { vscodeApi } from '../shared/vscodeApi';
import { AgreementBar, CompareHeader, OverlayCharts, ResultsTable } from './compareViews';

/** The Compare Runs app: state in (the host's snapshot), render out, one component per part. */
const api = vscodeApi<ComparePanelState>();
const app = document.getElementById('app')!;
const header = new CompareHeader({ swap: () => api.postMessage({ type: 'swapRuns' }), showGraph: () => api.postMessage({ type: 'showAgreementGraph' }) });
const results = new ResultsTable();
const agreement = new AgreementBar();
const charts = new OverlayCharts();
app.append(header.element, results.element, agreement.element, charts.element);

let last: CompareSnapshot | undefined;

function render(): void {
  if (!last) return;
  api.setState({ runIds: [last.a.runId, last.b.runId] });
  header.render(last);
  results.render(last);
  agreement.render(last);
  charts.render({ ...last, width: Math.max(240, app.clientWidth - 8) });
  document.body.dataset.compareReady = 'true';
}

onHostMessage('compareSnapshot', (snapshot) => {
  last = snapshot;
  render();
});
onResizeSettled(render);
api.postMessage({ type: 'ready' });
