import { viewRect, type GraphModel, type Transform } from '../../figures/graphModel';
import type { DrawTheme } from './graphRenderer';

/** What the scene shows: the graph under a transform, coloured and filtered. */
export interface SceneView {
  readonly transform: Transform;
  readonly width: number; // CSS pixels
  readonly height: number;
  readonly dpr: number;
}

export interface SceneStyle {
  readonly visible: Uint8Array; // (N)
  readonly category: Uint8Array; // (N)
  readonly colours: readonly string[]; // by category
}

/**
 * The graph's edges and nodes on their own canvas, under the overlay canvas that carries the
 * interaction (highlight, rings, labels): hovering never redraws the scene. Two implementations:
 * WebGL2 (glScene.ts) and the 2-D canvas (canvasScene.ts) where WebGL2 is missing or lost.
 */
export interface SceneLayer {
  readonly canvas: HTMLCanvasElement;
  /** 'webgl2', or 'canvas2d' (no WebGL2 here, or its context was lost). */
  readonly kind: 'webgl2' | 'canvas2d';
  /**
   * Whether full frames are cheap enough to draw on every frame of a zoom or pan (a hardware
   * GPU). Otherwise the view moves the last frame with a CSS transform until the gesture ends.
   */
  readonly liveGestures: boolean;
  /** A short description for the panel's data attributes and the bench ("WebGL2 · ANGLE (…)"). */
  readonly renderer: string;
  setModel(model: GraphModel): void;
  setStyle(style: SceneStyle, theme: DrawTheme): void;
  resize(width: number, height: number, dpr: number): void;
  draw(view: SceneView): { nodes: number; edges: number };
  dispose(): void;
}

/** What both scenes keep (the model, its style, the theme) and do alike (resize). */
export abstract class SceneBase {
  protected model: GraphModel | undefined;
  protected style: SceneStyle | undefined;
  protected theme: DrawTheme | undefined;

  constructor(readonly canvas: HTMLCanvasElement) {}

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
}

/** Nodes inside the view (grown by the largest radius) and visible: what the canvas view counts as drawn. */
export function nodesInView(m: GraphModel, visible: Uint8Array, view: SceneView): number {
  const r = viewRect(view.transform, view.width, view.height, m.maxRadius);
  let count = 0;
  for (let i = 0; i < m.n; i++) if (visible[i] && m.x[i] >= r.x0 && m.x[i] <= r.x1 && m.y[i] >= r.y0 && m.y[i] <= r.y1) count++;
  return count;
}

/** Whether two arrays hold the same values (a new snapshot's edges, a visibility mask). */
export function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
