import type { GraphModel } from '../../figures/graphModel';
import { drawScene, type DrawTheme } from './graphRenderer';
import type { SceneLayer, SceneStyle, SceneView } from './sceneLayer';

/** The scene on a 2-D canvas (Skia): the fallback where WebGL2 is missing or its context is lost. */
export class CanvasScene implements SceneLayer {
  readonly kind = 'canvas2d' as const;
  readonly liveGestures = false;
  readonly renderer: string;
  private readonly ctx: CanvasRenderingContext2D;
  private model: GraphModel | undefined;
  private style: SceneStyle | undefined;
  private theme: DrawTheme | undefined;

  constructor(
    readonly canvas: HTMLCanvasElement,
    why: string,
  ) {
    this.ctx = canvas.getContext('2d')!;
    this.renderer = `2-D canvas (${why})`;
  }

  setModel(model: GraphModel): void {
    this.model = model;
  }

  setStyle(style: SceneStyle, theme: DrawTheme): void {
    this.style = style;
    this.theme = theme;
  }

  resize(width: number, height: number, dpr: number): void {
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
  }

  draw(view: SceneView): { nodes: number; edges: number } {
    if (!this.model || !this.style || !this.theme) return { nodes: 0, edges: 0 };
    return drawScene(this.ctx, this.model, { ...view, ...this.style }, this.theme, false);
  }

  dispose(): void {}
}
