/**
 * A standalone, offline HTML page for one panel: the same webview bundle as in VS Code, with
 * a small stand-in host that answers the app's messages from snapshots baked into the page
 * (exports download as files; records and runs need VS Code, and say so).
 */

export interface StandalonePage {
  readonly title: string;
  /** Webview app name (dist/webview/<app>.js). */
  readonly app: string;
  /** The snapshot posted after `ready`. */
  readonly snapshot: unknown;
  /** Answers to attention/entropy requests, keyed `attention:<node>:<layer>` or `entropy:<layer>`. */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** Links to the other pages of the same export. */
  readonly nav: ReadonlyArray<{ readonly label: string; readonly href: string }>;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/**
 * JSON inside <script>: `</script>` and friends must not end the element early. Typed arrays
 * (a snapshot's positions and edges) become plain arrays, floats to 4 decimals.
 */
const scriptJson = (v: unknown): string => JSON.stringify(v, plainArrays).replace(/</g, '\\u003c');
function plainArrays(_key: string, value: unknown): unknown {
  if (value instanceof Float32Array || value instanceof Float64Array) return Array.from(value, (x) => Math.round(x * 1e4) / 1e4);
  return ArrayBuffer.isView(value) && !(value instanceof DataView) ? Array.from(value as unknown as ArrayLike<number>) : value;
}

const HOST = `
(function () {
  // Only this page's own stand-in host speaks to the app: a message from any other window (a frame,
  // an opener, a page that framed this one) stops here, before the app's listener sees it.
  window.addEventListener('message', function (e) { if (e.source !== window) e.stopImmediatePropagation(); }, true);
  var data = JSON.parse(document.getElementById('gat-data').textContent);
  var note = document.getElementById('gat-note');
  function say(text) { note.textContent = text; }
  function post(m) { window.postMessage(m, '*'); }
  function download(name, href) { var a = document.createElement('a'); a.href = href; a.download = name; document.body.appendChild(a); a.click(); a.remove(); }
  var stateKey = 'gat-state:' + location.pathname;
  window.acquireVsCodeApi = function () {
    return {
      getState: function () { try { return JSON.parse(localStorage.getItem(stateKey)) || undefined; } catch (e) { return undefined; } },
      setState: function (s) { try { localStorage.setItem(stateKey, JSON.stringify(s)); } catch (e) {} },
      postMessage: function (m) {
        if (m.type === 'ready') return post(data.snapshot);
        if (m.type === 'attentionRequest') {
          var a = data.extra['attention:' + m.node + ':' + m.layer];
          return a ? post(a) : say('This export holds node ' + data.snapshot.data.node + ' only; open the run in VS Code (GAT: Show Attention for Node…) for any node.');
        }
        if (m.type === 'entropyRequest') { var e = data.extra['entropy:' + m.layer]; return e && post(e); }
        if (m.type === 'exportImage') {
          var href = m.format === 'png' ? m.data : URL.createObjectURL(new Blob([m.data], { type: 'image/svg+xml' }));
          return download(m.suggestedName, href);
        }
        if (m.type === 'showInGraph') { location.href = 'graph.html#node=' + m.node; return; }
        if (m.type === 'showAttention') { say('Open attention.html, or use GAT: Show Attention for Node… in VS Code for node ' + m.node + '.'); return; }
        if (m.type === 'openRecord') { say('node ' + m.node + ': its full record opens in VS Code (GAT: Open Node Record…).'); return; }
        if (m.type === 'embeddingRequest') { say('Re-running t-SNE needs VS Code or: npx gat visualize --perplexity ' + m.settings.perplexity + ' --iterations ' + m.settings.iterations + ' --tsne-seed ' + m.settings.seed); return; }
        if (m.type === 'openFile') { say(m.path); return; }
      }
    };
  };
  var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  document.body.className = dark ? 'vscode-dark' : 'vscode-light';
})();`;

export function standaloneHtml(page: StandalonePage, bundle: string, css: string): string {
  const nav = page.nav.map((n) => `<a href="${esc(n.href)}">${esc(n.label)}</a>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${esc(page.title)}</title>
<style>${css}</style>
</head>
<body class="vscode-light">
<nav class="standalone-nav">${nav}</nav>
<div id="gat-note" class="standalone-note" aria-live="polite"></div>
<div id="app" role="main"></div>
<script type="application/json" id="gat-data">${scriptJson({ snapshot: page.snapshot, extra: page.extra ?? {} })}</script>
<script>${HOST}</script>
<script>${bundle.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`;
}
