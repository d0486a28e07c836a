import { edgeOrder, edgesAtLeast, edgesToDraw, type EdgeOrder } from '../../figures/edgeDetail';
import type { GraphModel } from '../../figures/graphModel';
import type { DrawTheme } from './graphRenderer';
import { EDGE_FRAGMENT, EDGE_VERTEX, NODE_FRAGMENT, NODE_TEXTURE_WIDTH, NODE_VERTEX } from './glShaders';
import { nodesInView, sameValues, SceneBase, type SceneLayer, type SceneStyle, type SceneView } from './sceneLayer';

/**
 * Edges drawn at most, in view, per frame. On a software rasteriser (SwiftShader: ~0.3 µs a line)
 * 150,000 keep a full frame near 100 ms at 200,000 nodes; a hardware GPU draws every edge.
 */
const SOFTWARE_EDGE_BUDGET = 150_000;
const HARDWARE_EDGE_BUDGET = 20_000_000;
/** Renderers that rasterise on the CPU: full frames are too slow to redraw on every gesture frame. */
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** Why WebGL2 could not be used here (the panel then draws on a 2-D canvas). */
export class NoWebGl extends Error {}

/** The scene in WebGL2: nodes as point sprites, edges as lines in order of importance (see edgeDetail.ts). */
export class GlScene extends SceneBase implements SceneLayer {
  readonly kind = 'webgl2' as const;
  readonly liveGestures: boolean;
  readonly renderer: string;
  private readonly gl: WebGL2RenderingContext;
  private readonly nodeProgram: WebGLProgram;
  private readonly edgeProgram: WebGLProgram;
  private readonly nodeTexture: WebGLTexture;
  private readonly colourTexture: WebGLTexture;
  private readonly nodeVao: WebGLVertexArrayObject;
  private readonly edgeVao: WebGLVertexArrayObject;
  private readonly endsBuffer: WebGLBuffer;
  private readonly widthBuffer: WebGLBuffer;
  private readonly budget: number;
  private order: EdgeOrder | undefined;
  private rows = 0;
  private nodesStale = true;
  private readonly uniforms = new Map<string, WebGLUniformLocation | null>();

  constructor(canvas: HTMLCanvasElement) {
    super(canvas);
    const gl = canvas.getContext('webgl2', { alpha: false, antialias: false, depth: false, stencil: false, premultipliedAlpha: true, preserveDrawingBuffer: false });
    if (!gl) throw new NoWebGl('WebGL2 is not available');
    this.gl = gl;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    const software = SOFTWARE_RENDERERS.test(name);
    this.liveGestures = !software;
    this.budget = software ? SOFTWARE_EDGE_BUDGET : HARDWARE_EDGE_BUDGET;
    this.renderer = `WebGL2 · ${name}${software ? ' (software)' : ''}`;
    this.nodeProgram = program(gl, NODE_VERTEX, NODE_FRAGMENT);
    this.edgeProgram = program(gl, EDGE_VERTEX, EDGE_FRAGMENT);
    this.nodeTexture = texture(gl);
    this.colourTexture = texture(gl);
    this.nodeVao = gl.createVertexArray()!; // attribute-less: nodes come from gl_VertexID
    this.edgeVao = gl.createVertexArray()!;
    this.endsBuffer = gl.createBuffer()!;
    this.widthBuffer = gl.createBuffer()!;
    gl.bindVertexArray(this.edgeVao);
    const ends = gl.getAttribLocation(this.edgeProgram, 'ends');
    gl.bindBuffer(gl.ARRAY_BUFFER, this.endsBuffer);
    gl.enableVertexAttribArray(ends);
    gl.vertexAttribIPointer(ends, 2, gl.UNSIGNED_INT, 0, 0);
    const width = gl.getAttribLocation(this.edgeProgram, 'width');
    gl.bindBuffer(gl.ARRAY_BUFFER, this.widthBuffer);
    gl.enableVertexAttribArray(width);
    gl.vertexAttribPointer(width, 1, gl.FLOAT, false, 0, 0);
    gl.bindVertexArray(null);
  }

  /* ── A new graph or layout: node textures at the next draw (N texels); edge buffers only when the edges changed ── */
  override setModel(model: GraphModel): void {
    const gl = this.gl;
    // A layout stage or timeline frame brings new positions for the same edges: keep their buffers.
    const sameEdges = this.model !== undefined && sameValues(this.model.edgeU, model.edgeU) && sameValues(this.model.edgeV, model.edgeV) && sameValues(this.model.edgeWidth, model.edgeWidth);
    this.model = model;
    this.rows = Math.max(1, Math.ceil(model.n / NODE_TEXTURE_WIDTH));
    this.nodesStale = true;
    if (sameEdges) return;
    // ── edges in order of importance: ends (2E vertices × (u, v)), width (2E) ──
    const order = edgeOrder(model);
    const ends = new Uint32Array(4 * order.order.length); // (2E, 2)
    const widths = new Float32Array(2 * order.order.length); // (2E)
    order.order.forEach((e, i) => {
      ends[4 * i] = ends[4 * i + 2] = model.edgeU[e];
      ends[4 * i + 1] = ends[4 * i + 3] = model.edgeV[e];
      widths[2 * i] = widths[2 * i + 1] = order.widths[i];
    });
    gl.bindBuffer(gl.ARRAY_BUFFER, this.endsBuffer);
    gl.bufferData(gl.ARRAY_BUFFER, ends, gl.STATIC_DRAW);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.widthBuffer);
    gl.bufferData(gl.ARRAY_BUFFER, widths, gl.STATIC_DRAW);
    this.order = order;
  }

  /* ── Colours and visibility: two textures of N texels ── */
  override setStyle(style: SceneStyle, theme: DrawTheme): void {
    super.setStyle(style, theme);
    this.nodesStale = true;
  }

  draw(view: SceneView): { nodes: number; edges: number } {
    const { gl, model, style, theme, order } = this;
    if (!model || !style || !theme || !order || gl.isContextLost()) return { nodes: 0, edges: 0 };
    if (this.nodesStale) this.uploadNodes(); // once, though a new model and its style both came since the last frame
    this.nodesStale = false;
    const t = view.transform;
    gl.viewport(0, 0, this.canvas.width, this.canvas.height);
    const [br, bg, bb] = rgba(theme.background);
    gl.clearColor(br / 255, bg / 255, bb / 255, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA); // premultiplied
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.nodeTexture);
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, this.colourTexture);

    // ── Edges: the first `count` of the order; wide ones twice more, ±1 device pixel ──
    const count = edgesToDraw(model, t, view.width, view.height, this.budget);
    const light = theme.kind === 'light' || theme.kind === 'high-contrast-light';
    const density = Math.min(1, 4 / Math.max(1, (2 * model.edgeU.length) / Math.max(1, model.n)));
    const edgeScale = Math.min(t.k, 1.2); // as the canvas view: widths grow with zoom only up to 1.2×
    const wide = Math.min(count, edgesAtLeast(order.widths, 2 / (edgeScale * view.dpr)));
    gl.useProgram(this.edgeProgram);
    this.common(this.edgeProgram, view);
    const [fr, fg, fb] = rgba(theme.foreground);
    gl.uniform3f(this.at(this.edgeProgram, 'ink'), fr / 255, fg / 255, fb / 255);
    gl.uniform1f(this.at(this.edgeProgram, 'edgeScale'), edgeScale);
    gl.uniform1f(this.at(this.edgeProgram, 'alpha'), 0.35 * (light ? 0.7 : 1) * Math.max(0.25, density));
    gl.bindVertexArray(this.edgeVao);
    const pass = (from: number, to: number, offset: number, lines: number): void => {
      if (to <= from) return;
      gl.uniform1f(this.at(this.edgeProgram, 'offset'), offset);
      gl.uniform1f(this.at(this.edgeProgram, 'lines'), lines);
      gl.drawArrays(gl.LINES, 2 * from, 2 * (to - from));
    };
    pass(0, wide, 0, 3);
    pass(0, wide, 1, 3);
    pass(0, wide, -1, 3);
    pass(wide, count, 0, 1);

    // ── Nodes: N point sprites ──
    gl.useProgram(this.nodeProgram);
    this.common(this.nodeProgram, view);
    gl.uniform1i(this.at(this.nodeProgram, 'colours'), 1);
    gl.uniform1f(this.at(this.nodeProgram, 'minRadiusPx'), 1);
    gl.bindVertexArray(this.nodeVao);
    gl.drawArrays(gl.POINTS, 0, model.n);
    gl.bindVertexArray(null);
    return { nodes: nodesInView(model, style.visible, view), edges: visibleEdges(model, order, count, style.visible) };
  }

  dispose(): void {
    const gl = this.gl;
    for (const b of [this.endsBuffer, this.widthBuffer]) gl.deleteBuffer(b);
    for (const t of [this.nodeTexture, this.colourTexture]) gl.deleteTexture(t);
    for (const v of [this.nodeVao, this.edgeVao]) gl.deleteVertexArray(v);
    for (const p of [this.nodeProgram, this.edgeProgram]) gl.deleteProgram(p);
  }

  /* ── (x, y, r, visible) and colours as (W, rows) textures ── */
  private uploadNodes(): void {
    const { gl, model, style } = this;
    if (!model || !style) return;
    const texels = NODE_TEXTURE_WIDTH * this.rows;
    const nodes = new Float32Array(4 * texels); // (W·rows, 4)
    const colours = new Uint8Array(4 * texels); // (W·rows, 4)
    const palette = style.colours.map(rgba);
    for (let i = 0; i < model.n; i++) {
      nodes[4 * i] = model.x[i];
      nodes[4 * i + 1] = model.y[i];
      nodes[4 * i + 2] = model.r[i];
      nodes[4 * i + 3] = style.visible[i];
      colours.set(palette[style.category[i]] ?? [128, 128, 128, 255], 4 * i);
    }
    gl.bindTexture(gl.TEXTURE_2D, this.nodeTexture);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA32F, NODE_TEXTURE_WIDTH, this.rows, 0, gl.RGBA, gl.FLOAT, nodes);
    gl.bindTexture(gl.TEXTURE_2D, this.colourTexture);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, NODE_TEXTURE_WIDTH, this.rows, 0, gl.RGBA, gl.UNSIGNED_BYTE, colours);
  }

  private common(p: WebGLProgram, view: SceneView): void {
    const gl = this.gl;
    const t = view.transform;
    gl.uniform1i(this.at(p, 'nodes'), 0);
    gl.uniform3f(this.at(p, 'view'), t.k, t.x, t.y);
    gl.uniform2f(this.at(p, 'size'), view.width, view.height);
    gl.uniform1f(this.at(p, 'dpr'), view.dpr);
  }

  private at(p: WebGLProgram, name: string): WebGLUniformLocation | null {
    const key = `${p === this.nodeProgram ? 'n' : 'e'}:${name}`;
    if (!this.uniforms.has(key)) this.uniforms.set(key, this.gl.getUniformLocation(p, name));
    return this.uniforms.get(key)!;
  }
}

function program(gl: WebGL2RenderingContext, vertex: string, fragment: string): WebGLProgram {
  const p = gl.createProgram()!;
  for (const [type, source] of [
    [gl.VERTEX_SHADER, vertex],
    [gl.FRAGMENT_SHADER, fragment],
  ] as const) {
    const shader = gl.createShader(type)!;
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS) && !gl.isContextLost()) throw new NoWebGl(`a graph shader did not compile: ${gl.getShaderInfoLog(shader)}`);
    gl.attachShader(p, shader);
  }
  gl.linkProgram(p);
  if (!gl.getProgramParameter(p, gl.LINK_STATUS) && !gl.isContextLost()) throw new NoWebGl(`the graph shaders did not link: ${gl.getProgramInfoLog(p)}`);
  return p;
}

function texture(gl: WebGL2RenderingContext): WebGLTexture {
  const t = gl.createTexture()!;
  gl.bindTexture(gl.TEXTURE_2D, t);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST); // texelFetch only: no filtering
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
  return t;
}

/** Visible edges among the first `count` of the order (what the canvas view reports as drawn). */
function visibleEdges(m: GraphModel, order: EdgeOrder, count: number, visible: Uint8Array): number {
  let drawn = 0;
  for (let i = 0; i < count; i++) {
    const e = order.order[i];
    if (visible[m.edgeU[e]] && visible[m.edgeV[e]]) drawn++;
  }
  return drawn;
}

/** A CSS colour as RGBA bytes, through a 2-D context's parser (any syntax the theme uses). */
const parsed = new Map<string, [number, number, number, number]>();
let parser: CanvasRenderingContext2D | undefined;
export function rgba(css: string): [number, number, number, number] {
  let c = parsed.get(css);
  if (c) return c;
  parser ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
  parser.clearRect(0, 0, 1, 1);
  parser.fillStyle = '#000';
  parser.fillStyle = css;
  parser.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = parser.getImageData(0, 0, 1, 1).data;
  c = [r, g, b, a]; // ImageData is not premultiplied
  parsed.set(css, c);
  return c;
}
