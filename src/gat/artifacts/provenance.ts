/**
 * Where a model came from: data, configuration, seed, back end, versions and commit. Stored as the
 * string metadata of every safetensors file we write (nested values JSON-encoded) and in run.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
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
  if (p.gitCommit) meta.gitCommit = p.gitCommit;
  if (p.endedAt) meta.endedAt = p.endedAt;
  if (p.epoch !== null) meta.epoch = String(p.epoch);
  if (p.metrics !== null && p.metrics !== undefined) meta.metrics = JSON.stringify(p.metrics);
  return meta;
}

/** Reads provenance back from metadata; missing keys become null/empty rather than failing. */
export function parseProvenance(meta: Readonly<Record<string, string>>): Provenance {
  const json = <T>(key: string, fallback: T): T => {
    const v = meta[key];
    if (v === undefined) return fallback;
    try {
      return JSON.parse(v) as T;
    } catch {
      return fallback;
    }
  };
  return {
    dataset: meta.dataset ?? '',
    datasetChecksums: json<Record<string, string>>('datasetChecksums', {}),
    config: json<unknown>('config', null),
    seed: meta.seed === undefined ? NaN : Number(meta.seed),
    backend: meta.backend ?? '',
    versions: json<Versions>('versions', { node: '', tfjs: null, 'gat-explorer': null }),
    gitCommit: meta.gitCommit ?? null,
    startedAt: meta.startedAt ?? '',
    endedAt: meta.endedAt ?? null,
    epoch: meta.epoch === undefined ? null : Number(meta.epoch),
    metrics: json<unknown>('metrics', null),
  };
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
