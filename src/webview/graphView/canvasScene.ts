import { drawScene } from './graphRenderer';
import { SceneBase, type SceneLayer, type SceneView } from './sceneLayer';

/** The scene on a 2-D canvas (Skia): the fallback where WebGL2 is missing or its context is lost. */
export class CanvasScene extends SceneBase implements SceneLayer {
  readonly kind = 'canvas2d' as const;
  readonly liveGestures = false;
  readonly renderer: string;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(canvas: HTMLCanvasElement, why: string) {
    super(canvas);
    this.ctx = canvas.getContext('2d')!;
    this.renderer = `2-D canvas (${why})`;
  }

  draw(view: SceneView): { nodes: number; edges: number } {
    if (!this.model || !this.style || !this.theme) return { nodes: 0, edges: 0 };
    return drawScene(this.ctx, this.model, { ...view, ...this.style }, this.theme, false);
  }

  dispose(): void {}
}
