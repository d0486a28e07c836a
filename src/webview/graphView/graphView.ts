import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior } from 'd3-zoom';
import { centreOn, fitTransform, nodeNearest, stepFocus, viewRect, type Direction, type GraphModel, type Transform } from '../../figures/graphModel';
import { CanvasScene } from './canvasScene';
import { GlScene, NoWebGl } from './glScene';
import { drawOverlays, neighbourhoodOf, type DrawTheme, type DrawView } from './graphRenderer';
import { sameValues, type SceneLayer, type SceneView } from './sceneLayer';
import { NodeIndex } from './hitTest';

export interface GraphViewHooks {
  /** The node under the pointer or keyboard focus changed (undefined: none). */
  readonly onHighlight: (node: number | undefined, at: { x: number; y: number } | undefined) => void;
  readonly onOpen: (node: number) => void;
  /** Zoom, selection or focus changed: persist the view. */
  readonly onViewChange: () => void;
  /** The scene fell back to another renderer (the WebGL context was lost). */
  readonly onRendererChange?: (renderer: string) => void;
}

/** How much of the background covers the scene behind a highlighted neighbourhood. */
const DIM_ALPHA = 0.7;

/** Screen radius of a median node after "zoom to node" (Cora at 4× the fit: about 9 px). */
const FOCUS_MEDIAN_RADIUS_PX = 12;

const medianRadii = new WeakMap<GraphModel, number>();
function medianRadius(m: GraphModel): number {
  let r = medianRadii.get(m);
  if (r === undefined) {
    r = Math.max(1e-6, Float32Array.from(m.r).sort()[m.r.length >> 1] ?? 1);
    medianRadii.set(m, r);
  }
  return r;
}

const ARROWS: Readonly<Record<string, Direction>> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

/** Above this many nodes in view, names are not drawn (they would cover the graph). */
const LABEL_MAX_NODES = 150;
/** Names are drawn once a node's disc is at least this many CSS pixels across. */
const LABEL_MIN_DIAMETER_PX = 9;

export interface GraphViewOptions {
  /** 'canvas' skips WebGL2 (tests of the fallback; a machine whose GPU draws badly). */
  readonly renderer?: 'auto' | 'canvas';
  /** The label drawn beside a node when zoomed in (its dataset id). */
  readonly nodeName?: (node: number) => string;
}

/**
 * Two stacked canvases and their interaction: the scene (edges and nodes, WebGL2 or 2-D; see
 * sceneLayer.ts) and above it the overlay, which takes the pointer and keyboard and draws the
 * highlighted neighbourhood, the selection and focus rings and, zoomed in, node names. Hovering
 * redraws only the overlay. d3-zoom for zoom and pan, quadtree hit testing, the keyboard (arrows
 * move between nodes, Enter opens, +/- zoom, 0 fits).
 */
export class GraphView {
  /** The stack to put in the page. */
  readonly element = document.createElement('div');
  /** The overlay: the focusable, interactive canvas (its data attributes describe the view). */
  readonly canvas = document.createElement('canvas');
  private scene: SceneLayer;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly zoomBehavior: ZoomBehavior<HTMLCanvasElement, unknown>;
  private model: GraphModel | undefined;
  private index: NodeIndex | undefined;
  private visible: Uint8Array = new Uint8Array(0);
  private category: Uint8Array = new Uint8Array(0);
  private colours: readonly string[] = [];
  private theme: DrawTheme | undefined;
  private width = 300;
  private height = 150;
  private dpr = 1;
  private frame = 0;
  transform: Transform = { k: 1, x: 0, y: 0 };
  hovered: number | undefined;
  focused: number | undefined;
  selected: number | undefined;
  lastDrawMs = 0;
  /** Whether the user has zoomed or panned (a converging layout then stops re-fitting the view). */
  userMoved = false;
  private gestures = 0;
  /** The transform the scene was last drawn at: a gesture moves that frame with CSS until it ends. */
  private sceneTransform: Transform | undefined;
  private sceneDirty = true;
  private drawn = { nodes: 0, edges: 0 };

  constructor(
    private readonly hooks: GraphViewHooks,
    private readonly options: GraphViewOptions = {},
  ) {
    this.element.className = 'graph-stack';
    this.canvas.tabIndex = 0;
    this.canvas.className = 'graph-canvas';
    this.canvas.setAttribute('role', 'application');
    this.canvas.setAttribute('aria-roledescription', 'graph');
    this.canvas.setAttribute('aria-label', 'Graph. Arrow keys move between nodes, Enter opens the node record, plus and minus zoom, 0 fits the graph.');
    this.ctx = this.canvas.getContext('2d')!;
    this.scene = this.createScene(options.renderer === 'canvas' ? 'gat.graphRenderer is "canvas"' : undefined);
    this.element.append(this.scene.canvas, this.canvas);
    this.zoomBehavior = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([0.02, 60])
      .on('zoom', (event: { transform: Transform; sourceEvent: unknown }) => {
        if (event.sourceEvent) this.userMoved = true; // a wheel, drag or pinch (not fit or find)
        this.transform = { k: event.transform.k, x: event.transform.x, y: event.transform.y };
        this.sceneDirty = true;
        this.requestDraw();
      })
      // Gestures overlap (a drag starts before a wheel gesture's end timer fires): count them.
      .on('start', () => {
        this.gestures++;
      })
      .on('end', () => {
        if (--this.gestures > 0) return;
        this.requestDraw(); // the full frame at the final transform
        this.hooks.onViewChange();
      });
    select(this.canvas).call(this.zoomBehavior).on('dblclick.zoom', null);
    this.canvas.addEventListener('pointermove', (e) => {
      const before = this.hovered;
      this.hover(e.offsetX, e.offsetY);
      // Input → tooltip and highlight drawn, for the panel bench.
      if (this.hovered !== before) this.canvas.dataset.hoverMs = (performance.now() - e.timeStamp).toFixed(2);
    });
    this.canvas.addEventListener('pointerleave', () => this.setHover(undefined));
    this.canvas.addEventListener('click', (e) => {
      const node = this.index?.nodeAt(e.offsetX, e.offsetY, this.transform);
      if (node === undefined) return;
      this.selected = node;
      this.hooks.onViewChange();
      this.drawOverlay();
      this.hooks.onOpen(node);
    });
    this.canvas.addEventListener('keydown', (e) => this.key(e));
  }

  /** WebGL2 when it works here; the 2-D canvas otherwise, or after the GPU context is lost. */
  private createScene(noWebGl?: string): SceneLayer {
    const canvas = document.createElement('canvas');
    canvas.className = 'graph-scene';
    canvas.setAttribute('aria-hidden', 'true');
    let scene: SceneLayer;
    if (noWebGl) scene = new CanvasScene(canvas, noWebGl);
    else {
      try {
        scene = new GlScene(canvas);
        canvas.addEventListener('webglcontextlost', (e) => {
          e.preventDefault();
          this.replaceScene('the WebGL context was lost');
        });
      } catch (e) {
        return this.createScene(e instanceof NoWebGl ? e.message : `WebGL2 failed: ${String(e)}`);
      }
    }
    this.canvas.dataset.renderer = scene.kind;
    this.canvas.dataset.rendererName = scene.renderer;
    return scene;
  }

  /** Swaps a lost WebGL scene for a 2-D one and redraws everything it had. */
  private replaceScene(why: string): void {
    const old = this.scene;
    this.scene = this.createScene(why);
    old.canvas.replaceWith(this.scene.canvas);
    this.scene.resize(this.width, this.height, this.dpr);
    if (this.model) this.scene.setModel(this.model);
    if (this.theme) this.scene.setStyle({ visible: this.visible, category: this.category, colours: this.colours }, this.theme);
    this.sceneDirty = true;
    this.hooks.onRendererChange?.(this.scene.renderer);
    this.requestDraw();
  }

  get renderer(): string {
    return this.scene.renderer;
  }

  /** New data, colouring or visibility. Keeps the transform. */
  setData(model: GraphModel, visible: Uint8Array, category: Uint8Array, colours: readonly string[], theme: DrawTheme): void {
    const rebuildIndex = model !== this.model || !sameValues(visible, this.visible);
    if (model !== this.model) this.scene.setModel(model);
    this.model = model;
    this.visible = visible;
    this.category = category;
    this.colours = colours;
    this.theme = theme;
    this.scene.setStyle({ visible, category, colours }, theme);
    this.element.style.background = theme.background; // what a gesture uncovers
    this.sceneDirty = true;
    if (rebuildIndex) this.index = new NodeIndex(model, visible);
    if (this.hovered !== undefined && !visible[this.hovered]) this.setHover(undefined);
  }

  resize(width: number, height: number): void {
    this.dpr = window.devicePixelRatio || 1;
    this.width = Math.max(50, Math.floor(width));
    this.height = Math.max(50, Math.floor(height));
    this.canvas.width = Math.round(this.width * this.dpr);
    this.canvas.height = Math.round(this.height * this.dpr);
    this.scene.resize(this.width, this.height, this.dpr);
    this.element.style.width = `${this.width}px`;
    this.element.style.height = `${this.height}px`;
    for (const c of [this.canvas, this.scene.canvas]) {
      c.style.width = `${this.width}px`;
      c.style.height = `${this.height}px`;
    }
    this.sceneDirty = true;
  }
  get size(): { width: number; height: number } {
    return { width: this.width, height: this.height };
  }

  setTransform(t: Transform): void {
    select(this.canvas).call(this.zoomBehavior.transform, zoomIdentity.translate(t.x, t.y).scale(t.k));
  }

  /** The node under a point of the canvas (CSS pixels), if any. */
  nodeAtScreen(x: number, y: number): number | undefined {
    return this.index?.nodeAt(x, y, this.transform);
  }

  fitToView(): void {
    if (this.model) this.setTransform(fitTransform(this.model, this.width, this.height));
  }

  zoomBy(factor: number): void {
    const centre: [number, number] = this.focused !== undefined && this.model ? this.screenOf(this.focused) : [this.width / 2, this.height / 2];
    select(this.canvas).call(this.zoomBehavior.scaleBy, factor, centre);
  }

  /** Zooms to a node (search, "show in graph") and makes it the focused and selected node. */
  zoomToNode(node: number): void {
    if (!this.model) return;
    const fitK = fitTransform(this.model, this.width, this.height).k;
    // 4× the fit shows a neighbourhood of Cora; on a small graph (one PPI graph of 24 nodes) it
    // would fill the view with a few discs, so a typical node is drawn at most FOCUS_MEDIAN_RADIUS_PX.
    const k = Math.max(this.transform.k, Math.min(fitK * 4, Math.max(fitK, FOCUS_MEDIAN_RADIUS_PX / medianRadius(this.model))));
    this.setTransform(centreOn(this.model.x[node], this.model.y[node], k, this.width, this.height));
    this.focused = node;
    this.selected = node;
    this.setHover(node, this.screenOf(node));
    this.hooks.onViewChange();
  }

  screenOf(node: number): [number, number] {
    const m = this.model!;
    return [this.transform.x + this.transform.k * m.x[node], this.transform.y + this.transform.k * m.y[node]];
  }

  requestDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Stops drawing and frees the scene (a WebGL context is a scarce resource). */
  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.scene.dispose();
    this.element.remove();
  }

  /** A PNG-ready copy of what is on screen: the scene (drawn afresh: WebGL keeps no buffer) under the overlay. */
  composite(): HTMLCanvasElement {
    const copy = document.createElement('canvas');
    copy.width = this.canvas.width;
    copy.height = this.canvas.height;
    const ctx = copy.getContext('2d')!;
    this.scene.draw(this.sceneView());
    ctx.drawImage(this.scene.canvas, 0, 0);
    ctx.drawImage(this.canvas, 0, 0);
    return copy;
  }

  private sceneView(): SceneView {
    return { transform: this.transform, width: this.width, height: this.height, dpr: this.dpr };
  }

  /**
   * A frame. The scene is redrawn only when the view or data changed; during a gesture on a
   * software renderer it is not redrawn at all but moved with a CSS transform (the compositor
   * scales the last frame, ~0 ms), and drawn afresh when the gesture ends.
   */
  draw(): void {
    if (!this.model || !this.theme) return;
    const start = performance.now();
    const t = this.transform;
    const moving = this.gestures > 0 && !this.scene.liveGestures && this.sceneTransform !== undefined;
    if (moving) {
      const c = this.sceneTransform!;
      const s = t.k / c.k;
      this.scene.canvas.style.transform = `translate(${t.x - s * c.x}px, ${t.y - s * c.y}px) scale(${s})`;
    } else if (this.sceneDirty || this.sceneTransform === undefined) {
      this.drawn = this.scene.draw(this.sceneView());
      this.scene.canvas.style.transform = '';
      this.sceneTransform = { ...t };
      this.sceneDirty = false;
    }
    this.drawOverlay();
    this.lastDrawMs = performance.now() - start;
    const data = this.canvas.dataset;
    data.drawMs = this.lastDrawMs.toFixed(2);
    data.drawnNodes = String(this.drawn.nodes);
    data.drawnEdges = String(this.drawn.edges);
  }

  /** The overlay: dims the scene behind a highlighted neighbourhood, rings, and names when zoomed in. */
  private drawOverlay(): void {
    const m = this.model;
    const theme = this.theme;
    if (!m || !theme) return;
    const ctx = this.ctx;
    const view: DrawView = {
      ...this.sceneView(),
      visible: this.visible,
      category: this.category,
      colours: this.colours,
      highlight: this.hovered ?? this.focused,
      focused: this.focused,
      selected: this.selected,
    };
    const focusSet = neighbourhoodOf(m, view);
    // Nothing to overlay (the usual case during a zoom or pan): leave the empty canvas alone, so
    // the compositor has no new layer contents to upload.
    const empty = focusSet.size === 0 && this.focused === undefined && this.selected === undefined && !this.mayNameNodes(m);
    if (!(empty && this.overlayEmpty)) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    }
    this.overlayEmpty = empty;
    if (focusSet.size > 0) {
      ctx.globalAlpha = DIM_ALPHA;
      ctx.fillStyle = theme.background;
      ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
      ctx.globalAlpha = 1;
    }
    if (this.options.nodeName) this.drawNames(ctx, m, theme, this.options.nodeName);
    drawOverlays(ctx, m, view, theme, focusSet);
    const t = this.transform;
    const data = this.canvas.dataset;
    data.labels = String(this.labelsDrawn);
    data.focused = this.focused === undefined ? '' : String(this.focused);
    data.selected = this.selected === undefined ? '' : String(this.selected);
    data.transform = `${t.k.toFixed(4)},${t.x.toFixed(1)},${t.y.toFixed(1)}`;
  }

  private labelsDrawn = 0;
  private overlayEmpty = false;

  /** Whether nodes are drawn big enough to be named (then drawNames looks for few enough in view). */
  private mayNameNodes(m: GraphModel): boolean {
    return this.options.nodeName !== undefined && 2 * medianRadius(m) * this.transform.k >= LABEL_MIN_DIAMETER_PX;
  }

  /** Node names beside their discs, once few enough nodes are in view and big enough to name. */
  private drawNames(ctx: CanvasRenderingContext2D, m: GraphModel, theme: DrawTheme, name: (node: number) => string): void {
    this.labelsDrawn = 0;
    const t = this.transform;
    if (!this.index || !this.mayNameNodes(m)) return;
    const r = viewRect(t, this.width, this.height);
    const nodes = this.index.inRect(r.x0, r.y0, r.x1, r.y1, LABEL_MAX_NODES + 1);
    if (nodes.length > LABEL_MAX_NODES) return;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.font = `11px ${getComputedStyle(this.canvas).fontFamily || 'sans-serif'}`;
    ctx.textBaseline = 'middle';
    ctx.lineWidth = 3;
    ctx.strokeStyle = theme.background;
    ctx.fillStyle = theme.foreground;
    for (const i of nodes) {
      const x = t.x + t.k * (m.x[i] + m.r[i]) + 3;
      const y = t.y + t.k * m.y[i];
      const text = name(i);
      ctx.strokeText(text, x, y); // a halo in the background colour keeps names readable over edges
      ctx.fillText(text, x, y);
    }
    this.labelsDrawn = nodes.length;
  }

  private hover(sx: number, sy: number): void {
    const node = this.index?.nodeAt(sx, sy, this.transform);
    this.setHover(node, node === undefined ? undefined : { x: sx, y: sy });
  }

  private setHover(node: number | undefined, at?: { x: number; y: number } | [number, number]): void {
    const point = Array.isArray(at) ? { x: at[0], y: at[1] } : at;
    const changed = node !== this.hovered;
    this.hovered = node;
    this.canvas.dataset.hovered = node === undefined ? '' : String(node);
    this.hooks.onHighlight(node ?? this.focused, node !== undefined ? point : this.focused !== undefined ? toPoint(this.screenOf(this.focused)) : undefined);
    if (changed) this.drawOverlay();
  }

  private key(e: KeyboardEvent): void {
    const m = this.model;
    if (!m) return;
    const direction = ARROWS[e.key];
    if (direction) {
      const from = this.focused;
      const next = from === undefined ? nodeNearest(m, this.visible, (this.width / 2 - this.transform.x) / this.transform.k, (this.height / 2 - this.transform.y) / this.transform.k) : stepFocus(m, this.visible, from, direction);
      if (next !== undefined) this.moveFocus(next);
    } else if ((e.key === 'Enter' || e.key === ' ') && this.focused !== undefined) {
      this.selected = this.focused;
      this.drawOverlay();
      this.hooks.onOpen(this.focused);
    } else if (e.key === '+' || e.key === '=' || e.key === '-' || e.key === '_') {
      this.userMoved = true;
      this.zoomBy(e.key === '+' || e.key === '=' ? 1.4 : 1 / 1.4);
    }
    else if (e.key === '0') this.fitToView();
    else if (e.key === 'Escape') {
      this.focused = undefined;
      this.setHover(undefined);
      this.drawOverlay();
    } else return;
    e.preventDefault();
  }

  private moveFocus(node: number): void {
    this.focused = node;
    let [sx, sy] = this.screenOf(node);
    const margin = 40;
    if (sx < margin || sy < margin || sx > this.width - margin || sy > this.height - margin) {
      this.setTransform(centreOn(this.model!.x[node], this.model!.y[node], this.transform.k, this.width, this.height));
      [sx, sy] = this.screenOf(node);
    }
    this.hovered = undefined;
    this.hooks.onHighlight(node, { x: sx, y: sy });
    this.hooks.onViewChange();
    this.drawOverlay();
  }
}

function toPoint([x, y]: [number, number]): { x: number; y: number } {
  return { x, y };
}
