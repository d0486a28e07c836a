import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { PANEL_VIEW_TYPES } from '../../src/extension/webviews/panelArgs';
import { PanelController, type ControlledPanel, type PanelDescriptor, type PanelOpener, type PanelWindow } from '../../src/extension/webviews/panelController';
import { repoRoot } from '../helpers/paths';

// VS Code's ViewColumn values (the enum is not loadable outside VS Code).
const ACTIVE = -1 as vscode.ViewColumn;
const BESIDE = -2 as vscode.ViewColumn;
const OPTIONS = { enableScripts: true, enableCommandUris: false };

/** A webview panel stand-in: records reveals, fires onDidDispose once when disposed. */
class FakeWebviewPanel {
  title: string;
  active = false;
  disposed = false;
  readonly reveals: Array<[vscode.ViewColumn | undefined, boolean | undefined]> = [];
  private readonly listeners: Array<() => void> = [];

  constructor(
    readonly viewType: string,
    title = '',
  ) {
    this.title = title;
  }

  reveal(column?: vscode.ViewColumn, preserveFocus?: boolean): void {
    this.reveals.push([column, preserveFocus]);
  }

  onDidDispose(listener: () => void): { dispose(): void } {
    this.listeners.push(listener);
    return { dispose: () => undefined };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const l of this.listeners) l();
  }
}

const asPanel = (p: FakeWebviewPanel): vscode.WebviewPanel => p as unknown as vscode.WebviewPanel;
const fakeOf = (p: vscode.WebviewPanel): FakeWebviewPanel => p as unknown as FakeWebviewPanel;

/** The part of vscode.window the controller uses, recording what it was asked. */
function fakeWindow() {
  const created: Array<{ viewType: string; title: string; showOptions: unknown; options: unknown; panel: FakeWebviewPanel }> = [];
  const serializers = new Map<string, vscode.WebviewPanelSerializer>();
  const unregistered: string[] = [];
  const window: PanelWindow = {
    createWebviewPanel: (viewType, title, showOptions, options) => {
      const panel = new FakeWebviewPanel(viewType, title);
      created.push({ viewType, title, showOptions, options, panel });
      return asPanel(panel);
    },
    registerWebviewPanelSerializer: (viewType, serializer) => {
      serializers.set(viewType, serializer);
      return { dispose: () => unregistered.push(viewType) };
    },
  };
  return { window, created, serializers, unregistered };
}

interface TestArgs {
  'test.node': { readonly runId: string; readonly node: number };
  'test.live': { readonly runId: string | null; readonly column?: vscode.ViewColumn };
}

/** A panel that records the arguments it was built and reused with, and the messages routed to it. */
class RecordingPanel implements ControlledPanel {
  readonly shown: Array<TestArgs['test.node']> = [];
  readonly received: unknown[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    args: TestArgs['test.node'],
    private readonly panels?: PanelOpener<TestArgs>,
  ) {
    this.shown.push(args);
  }

  async receive(message: unknown): Promise<void> {
    this.received.push(message);
    // A panel opens another through the controller, by view type (never by importing it).
    if (this.panels && (message as { type?: string }).type === 'openLive') this.panels.show('test.live', { runId: null });
  }
}

function nodeDescriptor(panels?: PanelOpener<TestArgs>): PanelDescriptor<'test.node', TestArgs['test.node'], RecordingPanel> {
  return {
    viewType: 'test.node',
    key: (a) => a.runId,
    title: (a) => `node ${a.node} (${a.runId})`,
    create: (panel, a) => new RecordingPanel(panel, a, panels),
    reuse: (panel, a) => panel.shown.push(a),
    revive: (state) => {
      const s = state as { runId?: string; node?: number } | undefined;
      return s?.runId !== undefined && s.node !== undefined ? { runId: s.runId, node: s.node } : undefined;
    },
  };
}

const liveDescriptor: PanelDescriptor<'test.live', TestArgs['test.live'], ControlledPanel> = {
  viewType: 'test.live',
  key: (a) => a.runId ?? 'live',
  title: (a) => a.runId ?? 'live',
  create: (panel) => ({ panel, receive: async () => undefined }),
  revive: (state) => ({ runId: (state as { runId?: string } | undefined)?.runId ?? null }),
  placement: ({ column = ACTIVE }) => ({ column, revealColumn: column === BESIDE ? undefined : column, preserveFocus: column === BESIDE }),
};

function setUp() {
  const fake = fakeWindow();
  const controller = new PanelController<TestArgs>(fake.window, { column: ACTIVE, options: OPTIONS });
  controller.register(nodeDescriptor(controller));
  controller.register(liveDescriptor);
  return { ...fake, controller };
}

describe('PanelController', () => {
  it('registers one serializer per kind of panel, and refuses a kind registered twice', () => {
    const { controller, serializers } = setUp();
    assert.deepEqual([...serializers.keys()], ['test.node', 'test.live']);
    assert.deepEqual(controller.viewTypes, ['test.node', 'test.live']);
    assert.throws(() => controller.register(liveDescriptor), /test\.live is registered twice/);
  });

  it('opens a new panel in the default column with its title and the webview options', () => {
    const { controller, created } = setUp();
    const panel = controller.show('test.node', { runId: 'r1', node: 1358 }) as RecordingPanel;
    assert.equal(created.length, 1);
    assert.deepEqual(
      { viewType: created[0].viewType, title: created[0].title, showOptions: created[0].showOptions, options: created[0].options },
      { viewType: 'test.node', title: 'node 1358 (r1)', showOptions: { viewColumn: ACTIVE, preserveFocus: false }, options: OPTIONS },
    );
    assert.equal(fakeOf(panel.panel), created[0].panel);
    assert.deepEqual(panel.shown, [{ runId: 'r1', node: 1358 }]);
  });

  it('reveals and reuses the open panel of the same key instead of opening another', () => {
    const { controller, created } = setUp();
    const first = controller.show('test.node', { runId: 'r1', node: 1 }) as RecordingPanel;
    const again = controller.show('test.node', { runId: 'r1', node: 2 });
    assert.equal(again, first);
    assert.equal(created.length, 1);
    assert.deepEqual(created[0].panel.reveals, [[undefined, undefined]], 'revealed where it is');
    assert.deepEqual(first.shown, [{ runId: 'r1', node: 1 }, { runId: 'r1', node: 2 }]);
    const other = controller.show('test.node', { runId: 'r2', node: 1 });
    assert.notEqual(other, first);
    assert.equal(created.length, 2);
    assert.equal(controller.panels('test.node').length, 2);
  });

  it('follows the descriptor placement: a new panel beside, keeping focus; an open one revealed in the asked column', () => {
    const { controller, created } = setUp();
    controller.show('test.live', { runId: 'r1', column: BESIDE });
    assert.deepEqual(created[0].showOptions, { viewColumn: BESIDE, preserveFocus: true });
    controller.show('test.live', { runId: 'r1', column: BESIDE });
    controller.show('test.live', { runId: 'r1' });
    assert.deepEqual(created[0].panel.reveals, [
      [undefined, true],
      [ACTIVE, false],
    ]);
  });

  it('forgets a closed panel: showing its key again opens a new one', () => {
    const { controller, created } = setUp();
    const first = controller.show('test.node', { runId: 'r1', node: 1 });
    created[0].panel.dispose();
    assert.equal(controller.panels('test.node').length, 0);
    const second = controller.show('test.node', { runId: 'r1', node: 1 });
    assert.notEqual(second, first);
    assert.equal(created.length, 2);
  });

  it('restores a panel from its saved state through the serializer, under its key', async () => {
    const { controller, serializers, created } = setUp();
    const restored = new FakeWebviewPanel('test.node');
    await serializers.get('test.node')!.deserializeWebviewPanel(asPanel(restored), { runId: 'r1', node: 7 });
    const [panel] = controller.panels('test.node') as RecordingPanel[];
    assert.equal(fakeOf(panel.panel), restored);
    assert.deepEqual(panel.shown, [{ runId: 'r1', node: 7 }]);
    assert.equal(controller.show('test.node', { runId: 'r1', node: 8 }), panel, 'the restored panel is reused');
    assert.equal(created.length, 0);
  });

  it('closes a restored tab that has no state to restore it from', async () => {
    const { controller, serializers } = setUp();
    const restored = new FakeWebviewPanel('test.node');
    await serializers.get('test.node')!.deserializeWebviewPanel(asPanel(restored), undefined);
    assert.equal(restored.disposed, true);
    assert.equal(controller.panels('test.node').length, 0);
  });

  it('keeps the newer of two panels restored with the same key when the older one closes', () => {
    const { controller } = setUp();
    const older = new FakeWebviewPanel('test.node');
    const newer = new FakeWebviewPanel('test.node');
    controller.revive('test.node', asPanel(older), { runId: 'r1', node: 1 });
    const kept = controller.revive('test.node', asPanel(newer), { runId: 'r1', node: 2 });
    older.dispose();
    assert.deepEqual(controller.panels('test.node'), [kept]);
  });

  it('finds the active panel of a kind', () => {
    const { controller, created } = setUp();
    controller.show('test.node', { runId: 'r1', node: 1 });
    const second = controller.show('test.node', { runId: 'r2', node: 1 });
    assert.equal(controller.active('test.node'), undefined);
    created[1].panel.active = true;
    assert.equal(controller.active('test.node'), second);
    assert.equal(controller.active('test.live'), undefined);
  });

  it('lets a panel open another through the controller', async () => {
    const { controller, created } = setUp();
    const panel = controller.show('test.node', { runId: 'r1', node: 1 });
    await panel.receive({ type: 'openLive' });
    assert.deepEqual(
      created.map((c) => [c.viewType, c.title]),
      [
        ['test.node', 'node 1 (r1)'],
        ['test.live', 'live'],
      ],
    );
  });

  it('refuses a kind that was never registered', () => {
    const fake = fakeWindow();
    const controller = new PanelController<TestArgs>(fake.window, { column: ACTIVE, options: OPTIONS });
    assert.throws(() => controller.show('test.node', { runId: 'r1', node: 1 }), /no panel is registered for test\.node/);
  });

  it('unregisters its serializers when disposed', () => {
    const { controller, unregistered } = setUp();
    controller.dispose();
    assert.deepEqual(unregistered.sort(), ['test.live', 'test.node']);
  });
});

describe('panel view types', () => {
  it("are exactly the panels package.json activates the extension for (onWebviewPanel:*), so every panel is restored after a reload", () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { activationEvents: string[] };
    const activated = manifest.activationEvents.filter((e) => e.startsWith('onWebviewPanel:')).map((e) => e.slice('onWebviewPanel:'.length));
    assert.deepEqual([...activated].sort(), [...PANEL_VIEW_TYPES].sort());
  });
});
