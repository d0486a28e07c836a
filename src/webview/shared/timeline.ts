import type { TimelineFrame } from '../../protocol/timeline';
import { Component } from './component';
import { element, toolbarButton } from './controls';

/** What the timeline shows: the frames' epochs and which one is on screen. */
export interface TimelineState {
  readonly frames: readonly Pick<TimelineFrame<unknown>, 'epoch' | 'final'>[];
  readonly index: number;
}

/** How long each frame stays on screen while playing. */
const PLAY_STEP_MS = 450;

/** The label of a frame: a snapshot's epoch, or the trained model and the epoch it was kept at. */
export function frameLabel(frame: Pick<TimelineFrame<unknown>, 'epoch' | 'final'>, count: number, index: number): string {
  return frame.final ? `trained model (parameters kept at epoch ${frame.epoch})` : `after epoch ${frame.epoch} (snapshot ${index + 1} of ${count - 1})`;
}

/**
 * The epoch slider of a panel: a range input (arrow keys, Page Up/Down, Home/End step through the
 * snapshots), a play/pause button (Space or Enter on it; playing stops at the trained model), and
 * the frame's label. `onSeek` is called with the frame index on every change; the panel redraws.
 */
export class Timeline extends Component<TimelineState | undefined> {
  private readonly slider = element('input', 'timeline-slider', { type: 'range', min: '0', step: '1', 'aria-label': 'Training epoch' });
  private readonly label = element('span', 'timeline-label', { 'aria-live': 'polite' });
  private readonly play: HTMLElement;
  private state: TimelineState | undefined;
  private timer: number | undefined;

  /** `onShowCurves`: opens the run's metrics panel, which marks the shown epoch on its curves. */
  constructor(
    private readonly onSeek: (index: number) => void,
    onShowCurves?: () => void,
  ) {
    super(element('div', 'timeline'));
    this.play = toolbarButton('Play', 'timeline-play', () => this.toggle());
    this.play.setAttribute('aria-label', 'Play the training timeline');
    this.element.append(element('span', 'timeline-title'), this.play, this.slider, this.label);
    if (onShowCurves) this.element.append(toolbarButton('Show on curves', 'timeline-curves', onShowCurves));
    (this.element.firstChild as HTMLElement).textContent = 'Epoch';
    this.element.hidden = true;
    // Taking the slider while playing (a key, a press) pauses: the user's frame stays on screen.
    this.listen(this.slider, 'keydown', () => this.stop());
    this.listen(this.slider, 'pointerdown', () => this.stop());
    this.listen(this.slider, 'input', () => {
      this.stop();
      this.seek(Number(this.slider.value));
    });
  }

  render(state: TimelineState | undefined): void {
    this.state = state;
    this.element.hidden = !state || state.frames.length < 2;
    if (!state || this.element.hidden) {
      this.stop();
      return;
    }
    this.slider.max = String(state.frames.length - 1);
    this.slider.value = String(state.index);
    const text = frameLabel(state.frames[state.index], state.frames.length, state.index);
    this.slider.setAttribute('aria-valuetext', text);
    this.label.textContent = text;
    this.element.dataset.epoch = String(state.frames[state.index].epoch);
    this.element.dataset.final = String(state.frames[state.index].final);
  }

  get playing(): boolean {
    return this.timer !== undefined;
  }

  private seek(index: number): void {
    if (!this.state) return;
    const clamped = Math.max(0, Math.min(this.state.frames.length - 1, index));
    this.onSeek(clamped);
  }

  private toggle(): void {
    if (this.playing) return this.stop();
    if (!this.state) return;
    // From the end, play starts over from the first snapshot.
    if (this.state.index >= this.state.frames.length - 1) this.seek(0);
    this.play.textContent = 'Pause';
    this.play.setAttribute('aria-label', 'Pause the training timeline');
    this.timer = window.setInterval(() => {
      if (!this.state || this.state.index >= this.state.frames.length - 1) return this.stop();
      this.seek(this.state.index + 1);
      // Stop on reaching the trained model, not a tick later (a key pressed meanwhile would restart it).
      if (this.state.index >= this.state.frames.length - 1) this.stop();
    }, PLAY_STEP_MS);
  }

  private stop(): void {
    window.clearInterval(this.timer);
    this.timer = undefined;
    this.play.textContent = 'Play';
    this.play.setAttribute('aria-label', 'Play the training timeline');
  }

  override dispose(): void {
    this.stop();
    super.dispose();
  }
}
