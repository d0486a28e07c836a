/**
 * GLSL ES 3.00 for the WebGL2 graph scene. Shape legend: N nodes, E edges, W = NODE_TEXTURE_WIDTH.
 * Node data lives in two textures read with texelFetch (node i at (i % W, i / W)), so a new layout
 * or colouring uploads N texels, never the E edges again:
 *   nodes   RGBA32F (W, ceil(N / W)): x, y (world units), radius (world units), visible (0 / 1)
 *   colours RGBA8   (W, ceil(N / W)): the node's colour
 * Coordinates: world → CSS pixels by (k, tx, ty) as d3-zoom's transform, then to clip space.
 */
export const NODE_TEXTURE_WIDTH = 2048;

const COMMON = `#version 300 es
precision highp float;
precision highp int;
uniform highp sampler2D nodes;
uniform vec3 view;   // k, tx, ty: world → CSS pixels
uniform vec2 size;   // canvas size in CSS pixels
uniform float dpr;   // device pixels per CSS pixel

ivec2 texel(int i) { return ivec2(i % ${NODE_TEXTURE_WIDTH}, i / ${NODE_TEXTURE_WIDTH}); }
vec2 toScreen(vec2 world) { return world * view.x + view.yz; }
vec4 toClip(vec2 screen) { vec2 c = screen / size * 2.0 - 1.0; return vec4(c.x, -c.y, 0.0, 1.0); }
const vec4 CLIPPED = vec4(2.0, 2.0, 2.0, 1.0); // outside the clip volume: not drawn
`;

/* ── Nodes: one point sprite per node (gl_VertexID = node), a disc with an anti-aliased rim ── */
export const NODE_VERTEX = `${COMMON}
uniform lowp sampler2D colours;
uniform float minRadiusPx;  // never smaller than this many CSS pixels
out vec4 vColour;
out float vRadius;          // device pixels
out float vSize;            // the sprite's side, device pixels
void main() {
  ivec2 at = texel(gl_VertexID);
  vec4 node = texelFetch(nodes, at, 0);                    // (x, y, r, visible)
  if (node.w < 0.5) { gl_Position = CLIPPED; gl_PointSize = 0.0; return; }
  gl_Position = toClip(toScreen(node.xy));
  vRadius = max(node.z * view.x, minRadiusPx) * dpr;
  vSize = min(2.0 * vRadius + 2.0, 1023.0);                // +2: room for the rim; 1023: the API's cap
  gl_PointSize = vSize;
  vColour = texelFetch(colours, at, 0);
}`;

export const NODE_FRAGMENT = `#version 300 es
precision mediump float;
in vec4 vColour;
in float vRadius;
in float vSize;
out vec4 colour;
void main() {
  float d = length(gl_PointCoord - 0.5) * vSize;           // device pixels from the centre
  float coverage = clamp(vRadius + 0.5 - d, 0.0, 1.0);
  if (coverage <= 0.0) discard;
  float a = vColour.a * coverage;
  colour = vec4(vColour.rgb * a, a);                       // premultiplied
}`;

/*
 * ── Edges: GL_LINES, two vertices per edge (ends = (u, v) on both, gl_VertexID picks the end).
 * Lines are one device pixel wide everywhere (ALIASED_LINE_WIDTH_RANGE is [1, 1] on most
 * drivers): a wide edge is drawn again shifted ±1 device pixel along its normal (offset), and an
 * edge's ink (its width) goes into the alpha, as the canvas view's hairlines do.
 */
export const EDGE_VERTEX = `${COMMON}
in uvec2 ends;              // (u, v) node ids
in float width;             // world units
uniform float offset;       // device pixels along the normal: 0, or ±1 for the wide-edge passes
uniform float edgeScale;    // CSS pixels per world unit of width (grows with zoom, capped)
uniform float alpha;        // the theme's and density's ink per device pixel of width
uniform float lines;        // lines drawn for a wide edge (1 or 3)
out float vAlpha;
void main() {
  int self = int((gl_VertexID & 1) == 0 ? ends.x : ends.y);
  int other = int((gl_VertexID & 1) == 0 ? ends.y : ends.x);
  vec4 a = texelFetch(nodes, texel(self), 0);
  vec4 b = texelFetch(nodes, texel(other), 0);
  if (a.w < 0.5 || b.w < 0.5) { gl_Position = CLIPPED; return; }
  vec2 sa = toScreen(a.xy);
  vec2 d = toScreen(b.xy) - sa;
  vec2 normal = length(d) > 0.0 ? vec2(-d.y, d.x) / length(d) : vec2(0.0);
  gl_Position = toClip(sa + normal * offset / dpr);
  float ink = max(width * edgeScale * dpr, 0.5);          // device pixels of width
  vAlpha = min(1.0, alpha * ink / lines);
}`;

export const EDGE_FRAGMENT = `#version 300 es
precision mediump float;
uniform vec3 ink;           // the theme's foreground
in float vAlpha;
out vec4 colour;
void main() { colour = vec4(ink * vAlpha, vAlpha); }`;
