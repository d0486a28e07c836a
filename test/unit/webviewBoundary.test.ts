import { clearRecorded, recorded, standInWorkspace, vscodeStandIn } from '../helpers/vscodeStandIn';
import assert from 'node:assert/strict';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type * as vscode from 'vscode';
import { PanelBase } from '../../src/extension/webviews/panelBase';
import { configureWebviewBoundary, offeredFiles } from '../../src/extension/webviews/webviewBoundary';
import { EXPLAIN_STEPS } from '../../src/protocol/explanation';
import type { HostToWebview, WebviewToHost } from '../../src/protocol/webviewMessages';
import { isWebviewToHost, WEBVIEW_COMMANDS, WEBVIEW_TO_HOST } from '../../src/protocol/webviewToHost';
import { tempDir } from '../helpers/tempDir';

/**
 * The webview boundary through the real guard, the real PanelBase dispatch and the real common
 * handlers, with a recording `vscode` stand-in: what can a page make the host open, run or write?
 */

const root = realpathSync(tempDir('gat-boundary-'));
const outDir = path.join(root, 'out');
const workspace = path.join(root, 'workspace');
const outside = path.join(root, 'outside');
for (const dir of [path.join(outDir, 'runs', 'r1'), path.join(outDir, 'models'), workspace, outside]) mkdirSync(dir, { recursive: true });
const runJson = path.join(outDir, 'runs', 'r1', 'run.json');
const model = path.join(outDir, 'models', 'gat_cora_r1.safetensors');
const workspaceSpec = path.join(workspace, 'cora.gat.json');
const secret = path.join(outside, 'secret.txt');
const offeredSpec = path.join(outside, 'shared.gat.json');
const offeredNotes = path.join(outside, 'notes.txt');
for (const f of [runJson, model, workspaceSpec, secret, offeredSpec, offeredNotes]) writeFileSync(f, '{}');
// Symlinks out of a run folder, and out of the workspace: their targets decide.
const linkOut = path.join(outDir, 'runs', 'r1', 'escape.json');
symlinkSync(secret, linkOut);
symlinkSync(outside, path.join(outDir, 'runs', 'r1', 'outside-folder'));
symlinkSync(secret, path.join(workspace, 'secret-link.txt'));
standInWorkspace.folders = [workspace];

const logged: string[] = [];
configureWebviewBoundary({ log: (line) => logged.push(line), outDir: () => outDir, workspaceFolders: () => [workspace] });

/** What the host may open for a page: files and folders in the output folder, files in the workspace, and the header's spec. */
function openAllowed(file: string): boolean {
  const inside = (dir: string): boolean => file === dir || file.startsWith(dir + path.sep);
  return inside(outDir) || inside(workspace) || file === offeredSpec;
}

/** Common messages go to the real handlers; the rest are the panel's own, recorded here. */
class TestPanel extends PanelBase {
  readonly own: WebviewToHost[] = [];
  constructor() {
    super(fakeWebviewPanel(), vscodeStandIn.Uri.file('/extension') as unknown as vscode.Uri, 'degrees', 'Test');
    this.askSaveLocation = async () => vscodeStandIn.Uri.file(path.join(root, 'export.png')) as unknown as vscode.Uri;
  }
  protected async snapshot(): Promise<HostToWebview> {
    // The header lists the run record, the model, and a spec and notes file outside every known folder.
    const files = [runJson, model, offeredSpec, offeredNotes].map((p) => ({ label: path.basename(p), path: p }));
    return { type: 'degreeSnapshot', provenance: { files } } as unknown as HostToWebview;
  }
  protected override onMessage(message: WebviewToHost): boolean {
    if (['openFile', 'openRecord', 'runCommand', 'showRunMetrics', 'ready', 'timelineEpoch', 'exportImage', 'selectGraph'].includes(message.type)) return false;
    this.own.push(message);
    return true;
  }
  protected override selectGraph(index: number | null): void {
    this.own.push({ type: 'selectGraph', index });
  }
}

function fakeWebviewPanel(): vscode.WebviewPanel {
  const none = { dispose: () => undefined };
  return {
    viewType: 'gat.test',
    title: '',
    webview: { options: {}, html: '', cspSource: 'vscode-resource:', asWebviewUri: (u: unknown) => u, onDidReceiveMessage: () => none, postMessage: async () => true },
    onDidDispose: () => none,
    dispose: () => undefined,
  } as unknown as vscode.WebviewPanel;
}

const PATHS = [
  runJson,
  model,
  workspaceSpec,
  offeredSpec,
  offeredNotes,
  secret,
  linkOut,
  path.join(outDir, 'runs', 'r1', 'outside-folder'),
  path.join(outDir, 'runs', 'r1', 'outside-folder', 'secret.txt'),
  path.join(workspace, 'secret-link.txt'),
  path.join(outDir, 'runs', 'r1', '..', '..', '..', 'outside', 'secret.txt'),
  `${outDir}/runs/r1/../../../outside/secret.txt`,
  path.join(outDir, 'runs'),
  outside,
  root,
  '/etc/passwd',
  '/etc',
  '/dev/zero',
  '../../../etc/passwd',
  'runs/r1/run.json',
  '',
  `${runJson}\u0000.png`,
  'file:///etc/passwd',
];

const FOREIGN_COMMANDS = ['workbench.action.terminal.new', 'workbench.action.files.revert', 'gat.installGpuBackend', 'gat.openRunItem', 'revealFileInOS', 'vscode.open'];
const hostile = fc.oneof(
  fc.anything(),
  fc.constantFrom(null, undefined, Number.NaN, -1, 2 ** 53, 1.5, '', [], {}, '__proto__', 'x'.repeat(5000)),
  fc.string({ maxLength: 40 }),
);
const safeName = fc.constantFrom('cora', 'r1', 'citeseer', 'cora', 'r1', '../r1', 'r1/../../x', '/etc', 'a..b');
/** Mostly a right value (so messages reach the handlers), sometimes junk. */
const mostly = (...right: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> => fc.oneof({ arbitrary: fc.oneof(...right), weight: 12 }, { arbitrary: hostile, weight: 1 });
const rarely = fc.integer({ min: 0, max: 15 }).map((x) => x === 0);
/** Values for each field name the declaration uses: right ones, near misses and junk. */
const FIELD_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  path: mostly(fc.constantFrom(...PATHS), fc.constantFrom(runJson, model, workspaceSpec, offeredSpec, path.join(outDir, 'runs'))),
  dataset: mostly(safeName),
  node: mostly(fc.nat(3000)),
  runId: mostly(safeName),
  compareRunId: mostly(safeName),
  command: mostly(fc.constantFrom(...WEBVIEW_COMMANDS, ...FOREIGN_COMMANDS)),
  format: mostly(fc.constantFrom('png', 'svg')),
  data: mostly(fc.constantFrom('data:image/png;base64,iVBORw0KGgo=', '<svg xmlns="http://www.w3.org/2000/svg"/>', 'javascript:alert(1)')),
  suggestedName: mostly(fc.constantFrom('graph.png', '../../.bashrc', '/etc/passwd')),
  layer: mostly(fc.integer({ min: 1, max: 3 })),
  settings: mostly(fc.record({ perplexity: fc.double(), iterations: fc.integer(), seed: fc.integer() })),
  index: mostly(fc.nat(30), fc.constant(null)),
  epoch: mostly(fc.nat(200), fc.constant(null)),
  step: mostly(fc.constantFrom(...EXPLAIN_STEPS)),
};
const FIELDS = Object.keys(FIELD_VALUES);
const declaredFields = (type: string): string[] => (Object.hasOwn(WEBVIEW_TO_HOST, type) ? Object.keys(WEBVIEW_TO_HOST[type as keyof typeof WEBVIEW_TO_HOST]) : []);

/** A message: a declared type (or not) with its own fields mostly, sometimes others, `__proto__` and extra keys. */
const messageArb = fc
  .record({
    // The types that open, run or write are tried most.
    type: mostly(fc.constantFrom(...(Object.keys(WEBVIEW_TO_HOST) as string[])), fc.constantFrom('openFile', 'runCommand', 'openRecord', 'exportImage', 'showRunMetrics')),
    fieldsSeed: fc.nat(),
    extra: fc.oneof({ arbitrary: fc.constant([]), weight: 12 }, { arbitrary: fc.subarray(FIELDS, { maxLength: 2 }), weight: 1 }),
    drop: rarely,
    proto: rarely,
    values: fc.record(Object.fromEntries(FIELDS.map((f) => [f, FIELD_VALUES[f]]))),
  })
  .map(({ type, fieldsSeed, extra, drop, proto, values }) => {
    const own = declaredFields(String(type));
    const names = [...own.filter((_, i) => !drop || i !== fieldsSeed % Math.max(1, own.length)), ...extra];
    const message: Record<string, unknown> = { type };
    for (const name of names) message[name] = values[name];
    // An own `__proto__` key, as JSON.parse makes one: data, never a prototype.
    if (proto) Object.defineProperty(message, '__proto__', { value: { type: 'runCommand', command: 'workbench.action.terminal.new' }, enumerable: true, configurable: true, writable: true });
    return message;
  });

describe('the webview boundary: what a page posts is untrusted', () => {
  it('opens only files inside the output folder or the workspace, or the files its header listed; folders only in the output folder', async () => {
    const panel = new TestPanel();
    await panel.receive({ type: 'ready' });
    const cases: Array<[string, string | undefined]> = [
      [runJson, runJson],
      [model, model],
      [path.join(outDir, 'runs'), path.join(outDir, 'runs')],
      [workspaceSpec, workspaceSpec],
      [offeredSpec, offeredSpec],
      [offeredNotes, undefined], // listed, but not a spec or model file
      [secret, undefined],
      [linkOut, undefined], // a symlink in a run folder to a file outside it
      [path.join(workspace, 'secret-link.txt'), undefined],
      [`${outDir}/runs/r1/../../../outside/secret.txt`, undefined],
      [outside, undefined],
      [workspace, undefined], // a folder outside the output folder is not shown in the OS file manager
      ['/etc/passwd', undefined],
      ['runs/r1/run.json', undefined],
    ];
    for (const [requested, opened] of cases) {
      clearRecorded();
      await panel.receive({ type: 'openFile', path: requested });
      const commands = recorded.commands.filter((c) => c[0] === 'gat.openRunItem');
      if (opened) assert.deepEqual(commands, [['gat.openRunItem', opened]], requested);
      else {
        assert.deepEqual(commands, [], `${requested} was opened`);
        assert.equal(recorded.notifications.length, 1, requested);
        assert.match(recorded.notifications[0].message, /was not opened: it (is|does)/);
      }
    }
    assert.ok(logged.some((l) => l.includes('gat.test panel: refused to open') && l.includes('secret.txt')), logged.join('\n'));
  });

  it('runs only the declared commands, and logs a refused message once', async () => {
    const panel = new TestPanel();
    clearRecorded();
    logged.length = 0;
    for (let i = 0; i < 3; i++) await panel.receive({ type: 'runCommand', command: 'workbench.action.terminal.new' });
    await panel.receive({ type: 'runCommand', command: 'gat.cancelTraining' });
    assert.deepEqual(recorded.commands, [['gat.cancelTraining']]);
    assert.equal(logged.filter((l) => /dropped a message: runCommand: 'command' must be one of/.test(l)).length, 1, logged.join('\n'));
  });

  it('the header lists the files it links to, and only those are offered', () => {
    assert.deepEqual(offeredFiles({ type: 'x', provenance: { files: [{ label: 'a', path: '/r/run.json' }, { label: 'b', path: 'relative.json' }, { label: 'c', path: 42 }] } }), ['/r/run.json']);
    assert.deepEqual(offeredFiles({ type: 'x', provenance: null }), []);
  });

  it('fuzz: no message makes the host open, run or write anything outside the allowlists, and no handler throws', async (t) => {
    const panel = new TestPanel();
    await panel.receive({ type: 'ready' });
    let accepted = 0;
    let runs = 0;
    let opened = 0;
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(messageArb, async (message) => {
        runs++;
        clearRecorded();
        panel.own.length = 0;
        if (isWebviewToHost(message)) accepted++;
        await panel.receive(message); // rejects only if a handler threw past the dispatch
        for (const [id, ...args] of recorded.commands) {
          if (id === 'gat.openRunItem') {
            opened++;
            assert.equal(args.length, 1);
            assert.ok(openAllowed(String(args[0])), `opened ${String(args[0])}`);
          } else if (id === 'gat.showTrainingMetrics') {
            assert.equal(typeof args[0] === 'string' ? /^[A-Za-z0-9][\w.-]*$/.test(args[0]) : args.length === 0, true, `metrics for ${String(args[0])}`);
          } else assert.ok((WEBVIEW_COMMANDS as readonly unknown[]).includes(id) && args.length === 0, `ran ${String(id)}`);
          if (id !== 'gat.openRunItem') ran++;
        }
        for (const write of recorded.writes) assert.equal(write, path.join(root, 'export.png'));
        // Errors a handler reports are its own words (a bad export), never a crash's.
        for (const n of recorded.notifications.filter((x) => x.kind === 'error')) assert.match(n.message, /^GAT: the exported (PNG|SVG) is not/);
        // What reaches a panel's own handlers passed the guard.
        for (const own of panel.own) assert.ok(isWebviewToHost(own), JSON.stringify(own));
        // Records open by name only: a path in a dataset or run id never reaches the record URI.
        for (const doc of recorded.openedDocuments) assert.doesNotMatch(String(doc), /\.\.|\/etc/);
      }),
      { numRuns: 5000, seed: 20261207 },
    );
    t.diagnostic(`${runs} messages, ${accepted} accepted by the guard, ${opened} files opened, ${ran} commands run`);
    assert.ok(accepted > 1000, `only ${accepted} of ${runs} messages were valid: the fuzz barely reached the handlers`);
    assert.ok(opened > 100 && ran > 100, 'the fuzz never opened a file or ran a command: it did not reach the handlers');
    assert.ok(runs - accepted > 1000, 'the fuzz tried too few bad messages');
  });
});
