/**
 * The `gat.*` settings as data: every value checked against the allowlist and ranges package.json
 * declares for it, with a fallback to the default and a problem naming the setting, the bad value
 * and what is allowed. Pure and free of `vscode` (config.ts reads VS Code's configuration and
 * shows the problems), so the unit tier and the fuzzer can run it.
 */
import * as path from 'node:path';
import { BACKEND_CHOICES, type BackendChoice } from '../../gat/backend/registry';

/** auto, then the back ends of the registry in auto's order. */
export const BACKEND_SETTINGS: readonly BackendChoice[] = BACKEND_CHOICES;
export type BackendSetting = (typeof BACKEND_SETTINGS)[number];
/** How the graph panel draws: WebGL2 where it works (`auto`), or always the 2-D canvas. */
export const GRAPH_RENDERER_SETTINGS = ['auto', 'canvas'] as const;
export type GraphRendererSetting = (typeof GRAPH_RENDERER_SETTINGS)[number];

/** Every `gat.*` setting, read in one place with its type and default. */
export interface GatSettings {
  readonly backend: BackendSetting;
  /** Absolute output folder for runs and models, or undefined when no folder is open and none is set. */
  readonly outputFolder: string | undefined;
  readonly dataFolder: string | undefined;
  readonly seed: number;
  readonly quickTrainEpochs: number;
  /** K of `gat train --snapshots K`: the epochs the panels' timeline can show (0: none). */
  readonly snapshots: number;
  readonly graphRenderer: GraphRendererSetting;
  /** `gat train --threads N` for the CPU back ends; 0: every core (the CLI's own default). */
  readonly threads: number;
}

/** The settings' names under `gat.` with their defaults, as package.json declares them. */
export const SETTING_DEFAULTS = {
  backend: 'auto' as BackendSetting,
  outputFolder: '',
  dataFolder: '',
  seed: 42,
  quickTrainEpochs: 10_000,
  snapshots: 32,
  graphRenderer: 'auto' as GraphRendererSetting,
  threads: 0,
} as const;

export type SettingName = keyof typeof SETTING_DEFAULTS;
export const SETTING_NAMES = Object.keys(SETTING_DEFAULTS) as SettingName[];

const SEED_MAX = 2_147_483_647;
const EPOCHS_MAX = 100_000;
const SNAPSHOTS_MAX = 256;
/** As `gat train --threads` allows. */
const THREADS_MAX = 256;

/** A value as a problem message shows it: short, and never by walking a (possibly deep) structure. */
function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object' && v !== null) return 'an object';
  return String(v);
}

/**
 * Checks raw setting values (`raw[name]`, undefined when unset) and resolves the folders against
 * the first workspace folder. Never throws: a bad value falls back to its default and adds a problem.
 */
export function parseGatSettings(raw: Readonly<Record<string, unknown>>, workspaceFolder: string | undefined): { settings: GatSettings; problems: string[] } {
  const problems: string[] = [];
  const get = (name: SettingName): unknown => (Object.hasOwn(raw, name) ? raw[name] : undefined);
  const bad = <T>(name: SettingName, value: unknown, allowed: string, fallback: T): T => {
    problems.push(`gat.${name} is ${describe(value)}, which is not allowed (${allowed}); using the default, ${fallback === '' ? 'empty' : describe(fallback)}`);
    return fallback;
  };
  const integer = (name: 'seed' | 'quickTrainEpochs' | 'snapshots' | 'threads', min: number, max: number): number => {
    const v = get(name);
    if (v === undefined || v === null) return SETTING_DEFAULTS[name];
    return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : bad(name, v, `an integer from ${min} to ${max}`, SETTING_DEFAULTS[name]);
  };
  const folder = (name: 'outputFolder' | 'dataFolder'): string => {
    const v = get(name);
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') return bad(name, v, 'a folder path', '');
    if (v.includes('\0')) return bad(name, v, 'a folder path without NUL characters', '');
    return v.trim();
  };

  const oneOf = <N extends 'backend' | 'graphRenderer'>(name: N, allowed: readonly (typeof SETTING_DEFAULTS)[N][]): (typeof SETTING_DEFAULTS)[N] => {
    const v = get(name);
    if (v === undefined || v === null) return SETTING_DEFAULTS[name];
    return (allowed as readonly unknown[]).includes(v) ? (v as (typeof SETTING_DEFAULTS)[N]) : bad(name, v, `one of ${allowed.join(', ')}`, SETTING_DEFAULTS[name]);
  };
  const backend = oneOf('backend', BACKEND_SETTINGS);
  const graphRenderer = oneOf('graphRenderer', GRAPH_RENDERER_SETTINGS);
  const output = folder('outputFolder');
  const data = folder('dataFolder');
  const workspace = workspaceFolder && !workspaceFolder.includes('\0') ? workspaceFolder : undefined;
  return {
    settings: {
      backend,
      outputFolder: output ? (path.isAbsolute(output) || !workspace ? output : path.join(workspace, output)) : workspace,
      dataFolder: data || undefined,
      seed: integer('seed', 0, SEED_MAX),
      quickTrainEpochs: integer('quickTrainEpochs', 1, EPOCHS_MAX),
      snapshots: integer('snapshots', 0, SNAPSHOTS_MAX),
      graphRenderer,
      threads: integer('threads', 0, THREADS_MAX),
    },
    problems,
  };
}
