import type { EmbeddingInfo, EmbeddingSettingsMessage } from '../../protocol/webviewMessages';
import { Component } from '../shared/component';
import { element, toolbarButton } from '../shared/controls';

export interface EmbeddingControlHandlers {
  rerun(settings: EmbeddingSettingsMessage): void;
  showInGraph(): void;
}

/**
 * The t-SNE toolbar of the embedding map: perplexity, iterations and seed with a Re-run button, the
 * optimisation's progress, and a button that shows the selected point in the graph panel.
 */
export class EmbeddingControls extends Component<EmbeddingInfo | undefined> {
  private readonly perplexity: HTMLInputElement;
  private readonly iterations: HTMLInputElement;
  private readonly seed: HTMLInputElement;
  private readonly progress: HTMLElement;

  constructor(on: EmbeddingControlHandlers) {
    super(element('div', 'toolbar embedding-controls'));
    this.element.hidden = true;
    const field = (label: string, cls: string, min: number, max: number, step: number): HTMLInputElement => {
      const input = document.createElement('input');
      input.type = 'number';
      input.className = cls;
      input.min = String(min);
      input.max = String(max);
      input.step = String(step);
      input.setAttribute('aria-label', label);
      const wrap = document.createElement('label');
      wrap.append(`${label} `, input);
      this.element.append(wrap);
      this.listen(input, 'keydown', (e) => {
        if (e.key === 'Enter') on.rerun(this.read());
      });
      return input;
    };
    this.perplexity = field('perplexity', 'tsne-perplexity', 2, 1000, 1);
    this.iterations = field('iterations', 'tsne-iterations', 250, 10_000, 50);
    this.seed = field('seed', 'tsne-seed', 0, 2_147_483_647, 1);
    const button = (text: string, cls: string, onClick: () => void): void => {
      this.element.append(toolbarButton(text, cls, onClick));
    };
    button('Re-run t-SNE', 'tsne-rerun', () => on.rerun(this.read()));
    button('Show selected in graph', 'show-in-graph', () => on.showInGraph());
    this.progress = document.createElement('span');
    this.progress.className = 'status tsne-progress';
    this.progress.setAttribute('aria-live', 'polite');
    this.element.append(this.progress);
  }

  read(): EmbeddingSettingsMessage {
    return { perplexity: Number(this.perplexity.value), iterations: Number(this.iterations.value), seed: Number(this.seed.value) };
  }

  render(info: EmbeddingInfo | undefined): void {
    this.element.hidden = !info;
    if (!info) return;
    // Keep what the user is typing; refresh the fields only when they are not being edited.
    if (!this.element.contains(document.activeElement)) {
      this.perplexity.value = String(info.settings.perplexity);
      this.iterations.value = String(info.settings.iterations);
      this.seed.value = String(info.settings.seed);
    }
    this.progress.textContent =
      info.status === 'computing'
        ? `t-SNE: iteration ${info.iteration} of ${info.settings.iterations}…`
        : info.status === 'failed'
          ? (info.message ?? 't-SNE failed')
          : `t-SNE done: KL ${info.kl?.toFixed(3) ?? '?'}${info.seconds !== undefined ? ` in ${info.seconds.toFixed(1)} s` : ''} (cached with the run)`;
    document.body.dataset.tsneStatus = info.status;
  }
}
