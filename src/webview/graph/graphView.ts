import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior } from 'd3-zoom';
import { centreOn, fitTransform, nodeNearest, stepFocus, type Direction, type GraphModel, type Transform } from '../../figures/graphModel';
import { drawOverlays, drawScene, neighbourhoodOf, type DrawTheme, type DrawView } from './graphRenderer';
import { NodeIndex } from './hitTest';

export interface GraphViewHooks {
  /** The node under the pointer or keyboard focus changed (undefined: none). */
  readonly onHighlight: (node: number | undefined, at: { x: number; y: number } | undefined) => void;
  readonly onOpen: (node: number) => void;
  /** Zoom, selection or focus changed: persist the view. */
  readonly onViewChange: () => void;
}

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

/**
 * The canvas and its interaction: d3-zoom for zoom and pan, quadtree hit testing for hover
 * and click, the keyboard (arrows move between nodes, Enter opens, +/- zoom, 0 fits).
 * Hover redraws at once (so the highlight appears with the tooltip); the rest per frame.
 */
export class GraphView {
  readonly canvas = document.createElement('canvas');
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
  private frame = 0;
  transform: Transform = { k: 1, x: 0, y: 0 };
  hovered: number | undefined;
  focused: number | undefined;
  selected: number | undefined;
  lastDrawMs = 0;
  private gestures = 0;
  /** The last full frame, redrawn scaled and shifted while a zoom or pan is under way. */
  private readonly frameCache = document.createElement('canvas');
  private cacheTransform: Transform | undefined;
  /**
   * The dimmed scene behind a highlighted neighbourhood, kept while the view and data stay the same:
   * moving from node to node then costs one drawImage and the overlays (a PPI graph's 35,000 edges
   * took ~170 ms to rasterise per hover before).
   */
  private readonly dimmedScene = document.createElement('canvas');
  private dimmedKey = '';
  private dimmedDrawn = { nodes: 0, edges: 0 };
  private dataVersion = 0;

  constructor(private readonly hooks: GraphViewHooks) {
    this.canvas.tabIndex = 0;
    this.canvas.className = 'graph-canvas';
    this.canvas.setAttribute('role', 'application');
    this.canvas.setAttribute('aria-roledescription', 'graph');
    this.canvas.setAttribute('aria-label', 'Graph. Arrow keys move between nodes, Enter opens the node record, plus and minus zoom, 0 fits the graph.');
    this.ctx = this.canvas.getContext('2d')!;
    this.zoomBehavior = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([0.02, 60])
      .on('zoom', (event: { transform: Transform }) => {
        this.transform = { k: event.transform.k, x: event.transform.x, y: event.transform.y };
        this.requestDraw();
      })
      // Gestures overlap (a drag starts before a wheel gesture's end timer fires): count them.
      .on('start', () => {
        if (this.gestures++ === 0) this.keepFrame();
      })
      .on('end', () => {
        if (--this.gestures > 0) return;
        this.cacheTransform = undefined;
        this.requestDraw(); // the full-quality frame once the gesture ends
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
      this.requestDraw();
      this.hooks.onOpen(node);
    });
    this.canvas.addEventListener('keydown', (e) => this.key(e));
  }

  /** New data, colouring or visibility. Keeps the transform unless `fit`. */
  setData(model: GraphModel, visible: Uint8Array, category: Uint8Array, colours: readonly string[], theme: DrawTheme): void {
    const rebuildIndex = model !== this.model || !sameMask(visible, this.visible);
    this.model = model;
    this.visible = visible;
    this.category = category;
    this.colours = colours;
    this.theme = theme;
    this.dataVersion++; // colours, visibility or theme may have changed: the kept dimmed scene is stale
    if (rebuildIndex) this.index = new NodeIndex(model, visible);
    if (this.hovered !== undefined && !visible[this.hovered]) this.setHover(undefined);
  }

  resize(width: number, height: number): void {
    const dpr = window.devicePixelRatio || 1;
    this.width = Math.max(50, Math.floor(width));
    this.height = Math.max(50, Math.floor(height));
    this.canvas.width = Math.round(this.width * dpr);
    this.canvas.height = Math.round(this.height * dpr);
    this.canvas.style.width = `${this.width}px`;
    this.canvas.style.height = `${this.height}px`;
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

  /** Copies the current frame (once per gesture) for cheap frames while the gesture lasts. */
  private keepFrame(): void {
    if (!this.model || this.canvas.width === 0) return;
    this.frameCache.width = this.canvas.width;
    this.frameCache.height = this.canvas.height;
    this.frameCache.getContext('2d')!.drawImage(this.canvas, 0, 0);
    this.cacheTransform = { ...this.transform };
  }

  /**
   * A gesture frame: the kept frame under the new transform, one drawImage (~2 ms) instead of
   * rasterising 8 000 shapes in software (~10–30 ms); the full frame follows when it ends.
   */
  private drawKeptFrame(c: Transform): void {
    const t = this.transform;
    const dpr = this.canvas.width / this.width;
    const s = t.k / c.k;
    this.ctx.setTransform(1, 0, 0, 1, 0, 0);
    this.ctx.fillStyle = this.theme!.background;
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.ctx.setTransform(s, 0, 0, s, dpr * (t.x - s * c.x), dpr * (t.y - s * c.y));
    this.ctx.drawImage(this.frameCache, 0, 0);
  }

  draw(): void {
    if (!this.model || !this.theme) return;
    const start = performance.now();
    if (this.gestures > 0 && this.cacheTransform) {
      this.drawKeptFrame(this.cacheTransform);
      this.lastDrawMs = performance.now() - start;
      this.canvas.dataset.drawMs = this.lastDrawMs.toFixed(2);
      this.canvas.dataset.transform = `${this.transform.k.toFixed(4)},${this.transform.x.toFixed(1)},${this.transform.y.toFixed(1)}`;
      return;
    }
    const view: DrawView = {
      transform: this.transform,
      width: this.width,
      height: this.height,
      dpr: this.canvas.width / this.width,
      visible: this.visible,
      category: this.category,
      colours: this.colours,
      highlight: this.hovered ?? this.focused,
      focused: this.focused,
      selected: this.selected,
      fast: this.gestures > 0,
    };
    const focusSet = neighbourhoodOf(this.model, view);
    let drawn: { nodes: number; edges: number };
    if (focusSet.size === 0) drawn = drawScene(this.ctx, this.model, view, this.theme, false);
    else {
      const t = this.transform;
      const key = `${t.k},${t.x},${t.y},${this.canvas.width},${this.canvas.height},${this.dataVersion},${view.fast}`;
      if (key !== this.dimmedKey) {
        this.dimmedScene.width = this.canvas.width;
        this.dimmedScene.height = this.canvas.height;
        this.dimmedDrawn = drawScene(this.dimmedScene.getContext('2d')!, this.model, view, this.theme, true);
        this.dimmedKey = key;
      }
      this.ctx.setTransform(1, 0, 0, 1, 0, 0);
      this.ctx.drawImage(this.dimmedScene, 0, 0);
      drawn = this.dimmedDrawn;
    }
    drawOverlays(this.ctx, this.model, view, this.theme, focusSet);
    this.lastDrawMs = performance.now() - start;
    this.canvas.dataset.drawMs = this.lastDrawMs.toFixed(2);
    this.canvas.dataset.drawnNodes = String(drawn.nodes);
    this.canvas.dataset.drawnEdges = String(drawn.edges);
    this.canvas.dataset.focused = this.focused === undefined ? '' : String(this.focused);
    this.canvas.dataset.selected = this.selected === undefined ? '' : String(this.selected);
    this.canvas.dataset.transform = `${this.transform.k.toFixed(4)},${this.transform.x.toFixed(1)},${this.transform.y.toFixed(1)}`;
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
    if (changed) this.draw();
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
      this.hooks.onOpen(this.focused);
    } else if (e.key === '+' || e.key === '=') this.zoomBy(1.4);
    else if (e.key === '-' || e.key === '_') this.zoomBy(1 / 1.4);
    else if (e.key === '0') this.fitToView();
    else if (e.key === 'Escape') {
      this.focused = undefined;
      this.setHover(undefined);
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
    this.draw();
  }
}

function sameMask(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function toPoint([x, y]: [number, number]): { x: number; y: number } {
  return { x, y };
}
