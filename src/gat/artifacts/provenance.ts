/**
 * Where a model came from: data, configuration, seed, back end, versions and commit. Stored as the
 * string metadata of every safetensors file we write (nested values JSON-encoded) and in run.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseComputeRoute, type ComputeRoute } from '../../protocol/computeRoute';
import { findGitCommit } from './gitCommit';

/** Format tag of every artifact this module family writes. */
export const ARTIFACT_FORMAT = 'gat-explorer/1';

export interface Versions {
  readonly node: string;
  readonly tfjs: string | null;
  readonly 'gat-explorer': string | null;
}

export interface Provenance {
  readonly dataset: string;
  readonly datasetChecksums: Readonly<Record<string, string>>;
  readonly config: unknown;
  readonly seed: number;
  readonly backend: string;
  /** Engine, kernels, threads and dense products (null in artifacts from before it was recorded). */
  readonly compute: ComputeRoute | null;
  readonly versions: Versions;
  /** Null outside a git repository. */
  readonly gitCommit: string | null;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly epoch: number | null;
  readonly metrics: unknown;
}

export interface ProvenanceInput {
  readonly dataset: string;
  readonly datasetChecksums: Readonly<Record<string, string>>;
  readonly config: unknown;
  readonly seed: number;
  readonly backend: string;
  readonly compute?: ComputeRoute;
  readonly startedAt?: Date;
  /** The running tf.version_core when known; otherwise read from the installed package. */
  readonly tfjsVersion?: string | null;
  /** Where to look for the git repository (default: the current folder). */
  readonly cwd?: string;
}

export function collectProvenance(input: ProvenanceInput): Provenance {
  const root = findPackageRoot();
  return {
    dataset: input.dataset,
    datasetChecksums: { ...input.datasetChecksums },
    config: input.config,
    seed: input.seed,
    backend: input.backend,
    compute: input.compute ?? null,
    versions: {
      node: process.version,
      tfjs: input.tfjsVersion ?? (root ? readVersion(path.join(root, 'node_modules', '@tensorflow', 'tfjs-core', 'package.json')) : null),
      'gat-explorer': root ? readVersion(path.join(root, 'package.json')) : null,
    },
    gitCommit: findGitCommit(input.cwd ?? process.cwd()),
    startedAt: (input.startedAt ?? new Date()).toISOString(),
    endedAt: null,
    epoch: null,
    metrics: null,
  };
}

/** The provenance as safetensors metadata: every value a string, absent values left out. */
export function provenanceMetadata(p: Provenance): Record<string, string> {
  const meta: Record<string, string> = {
    format: ARTIFACT_FORMAT,
    dataset: p.dataset,
    datasetChecksums: JSON.stringify(p.datasetChecksums),
    config: JSON.stringify(p.config ?? null),
    seed: String(p.seed),
    backend: p.backend,
    versions: JSON.stringify(p.versions),
    startedAt: p.startedAt,
  };
  if (p.compute) meta.compute = JSON.stringify(p.compute);
  if (p.gitCommit) meta.gitCommit = p.gitCommit;
  if (p.endedAt) meta.endedAt = p.endedAt;
  if (p.epoch !== null) meta.epoch = String(p.epoch);
  if (p.metrics !== null && p.metrics !== undefined) meta.metrics = JSON.stringify(p.metrics);
  return meta;
}

/**
 * Reads provenance back from metadata; missing keys, and values of the wrong type or shape, become
 * null/empty rather than failing (provenance is informative, and comes from a file we were handed).
 */
export function parseProvenance(meta: Readonly<Record<string, string>>): Provenance {
  const text = (key: string): string | undefined => (Object.hasOwn(meta, key) && typeof meta[key] === 'string' ? meta[key] : undefined);
  const json = (key: string): unknown => {
    const v = text(key);
    if (v === undefined) return undefined;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return undefined;
    }
  };
  const seed = text('seed');
  const epoch = text('epoch');
  return {
    dataset: text('dataset') ?? '',
    datasetChecksums: stringRecord(json('datasetChecksums')) ?? {},
    config: json('config') ?? null,
    seed: seed === undefined ? NaN : Number(seed),
    backend: text('backend') ?? '',
    compute: parseComputeRoute(json('compute')),
    versions: parseVersions(json('versions')) ?? { node: '', tfjs: null, 'gat-explorer': null },
    gitCommit: text('gitCommit') ?? null,
    startedAt: text('startedAt') ?? '',
    endedAt: text('endedAt') ?? null,
    epoch: epoch === undefined ? null : Number(epoch),
    metrics: json('metrics') ?? null,
  };
}

/** A JSON object of strings, copied key by key (never through its prototype), or undefined. */
export function stringRecord(v: unknown): Record<string, string> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') return undefined;
    Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** `{ node, tfjs, 'gat-explorer' }` with the right types, or undefined. */
export function parseVersions(v: unknown): Versions | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const r = v as Record<string, unknown>;
  const nullableString = (x: unknown): x is string | null => x === null || typeof x === 'string';
  if (typeof r.node !== 'string' || !nullableString(r.tfjs) || !nullableString(r['gat-explorer'])) return undefined;
  return { node: r.node, tfjs: r.tfjs, 'gat-explorer': r['gat-explorer'] };
}

/** The folder of our own package.json, found from this file (bundled or not) or the current folder. */
function findPackageRoot(): string | null {
  for (const start of [__dirname, process.cwd()]) {
    for (let d = start; ; d = path.dirname(d)) {
      const pkg = path.join(d, 'package.json');
      if (existsSync(pkg) && readName(pkg) === 'gat-explorer') return d;
      if (path.dirname(d) === d) break;
    }
  }
  return null;
}

function readName(pkg: string): string | null {
  try {
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name ?? null;
  } catch {
    return null;
  }
}

function readVersion(pkg: string): string | null {
  try {
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}
