import type { MetricsSnapshot } from '../../protocol/webviewMessages';
import { toolbarButton } from '../shared/controls';
import { renderProvenance } from '../shared/provenanceHeader';
import { onHostMessage, onResizeSettled } from '../shared/hostMessages';
import { vscodeApi } from '../shared/vscodeApi';
import { drawLineChart } from './lineChart';
import { accuracyChart, lossChart, summaryLine } from './metricsModel';

/** The metrics app: used by the Training Metrics panel and the side-panel Training view. */
const api = vscodeApi<{ runId: string | null }>();
const app = document.getElementById('app')!;
const header = document.createElement('div');
const summary = document.createElement('div');
summary.className = 'summary';
summary.setAttribute('aria-live', 'polite');
const charts = document.createElement('div');
charts.className = 'charts';
const lossSvg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
const accSvg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
lossSvg.classList.add('chart', 'loss-chart');
accSvg.classList.add('chart', 'acc-chart');
charts.append(lossSvg, accSvg);
const message = document.createElement('p');
message.className = 'message';
const trainButton = toolbarButton('Train on Cora', 'train-button', () => api.postMessage({ type: 'runCommand', command: 'gat.trainCora' }));
trainButton.removeAttribute('secondary'); // the one primary action of an empty view
app.append(header, summary, message, trainButton, charts);

let last: MetricsSnapshot | undefined;
/** Epochs finished at the snapshot another panel's timeline shows (null: none). */
let marked: number | null = null;

function render(): void {
  if (!last) return;
  renderProvenance(header, last.provenance);
  api.setState({ runId: last.provenance?.runId ?? null });
  message.textContent = last.message ?? '';
  message.hidden = !last.message;
  trainButton.hidden = last.epochs.length > 0 || last.live;
  summary.textContent = summaryLine(last.epochs, last.metric) + (last.live ? ' · training…' : '');
  const width = Math.max(200, app.clientWidth - 8);
  const height = last.compact ? 140 : 260;
  charts.hidden = last.epochs.length === 0;
  if (last.epochs.length > 0) {
    // A snapshot after E epochs is the model at the end of epoch E - 1 (the curves count from 0).
    const mark = marked === null ? undefined : { x: marked - 1, label: `snapshot: after epoch ${marked}` };
    drawLineChart(lossSvg, lossChart(last.epochs), last.compact ? width : Math.min(width, 900), height, mark);
    drawLineChart(accSvg, accuracyChart(last.epochs, last.metric), last.compact ? width : Math.min(width, 900), height, mark);
  }
}

onHostMessage('metricsSnapshot', (snapshot) => {
  last = snapshot;
  render();
});
onHostMessage('markEpoch', (m) => {
  marked = m.epoch;
  charts.dataset.markedEpoch = m.epoch === null ? '' : String(m.epoch);
  render();
});
onResizeSettled(render);
api.postMessage({ type: 'ready' });
