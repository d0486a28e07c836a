import type { TimelineFrame } from '../../protocol/timeline';
import type { WebviewToHost } from '../../protocol/webviewMessages';
import { Timeline } from './timeline';

/**
 * The epoch timeline of a panel whose snapshots carry frames, shared by the attention, entropy and
 * graph apps: which frame is on screen (kept when another node, layer or graph arrives with as many
 * frames; otherwise the trained model), the slider, and the epoch reported to the host so the run's
 * metrics panel can mark it. The panel draws what `show` is given.
 */
export class PanelTimeline<T> {
  readonly element: HTMLElement;
  private readonly slider: Timeline;
  private frames: readonly TimelineFrame<T>[] | undefined;
  private index = 0;

  constructor(
    private readonly show: (data: T) => void,
    private readonly runId: () => string | undefined,
    private readonly post: (message: WebviewToHost) => void,
  ) {
    this.slider = new Timeline(
      (index) => this.seek(index),
      () => {
        const id = this.runId();
        if (id) this.post({ type: 'showRunMetrics', runId: id });
      },
    );
    this.element = this.slider.element;
  }

  /** A snapshot's frames (undefined: none); returns the data of the frame to draw, or `fallback`. */
  receive(frames: readonly TimelineFrame<T>[] | undefined, fallback: T): T {
    const keep = frames !== undefined && this.frames !== undefined && this.frames.length === frames.length;
    this.frames = frames;
    this.index = keep ? this.index : Math.max(0, (frames?.length ?? 1) - 1);
    this.slider.render(frames ? { frames, index: this.index } : undefined);
    return frames ? frames[this.index].data : fallback;
  }

  /** The frame on screen (undefined without frames). */
  get current(): TimelineFrame<T> | undefined {
    return this.frames?.[this.index];
  }

  clear(): void {
    this.frames = undefined;
    this.slider.render(undefined);
  }

  private seek(index: number): void {
    if (!this.frames) return;
    this.index = index;
    const frame = this.frames[index];
    this.slider.render({ frames: this.frames, index });
    this.show(frame.data);
    const id = this.runId();
    if (id) this.post({ type: 'timelineEpoch', runId: id, epoch: frame.final ? null : frame.epoch });
  }

  dispose(): void {
    this.slider.dispose();
  }
}
