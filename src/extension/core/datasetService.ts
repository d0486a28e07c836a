import * as path from 'node:path';
import type * as vscode from 'vscode';
import { loadDatasetInWorker } from '../../gat/data/datasetWorkerProtocol';
import type { GraphDataset } from '../../gat/data/graph';

/**
 * Loads datasets once per (name, folder) and shares them between records, trees and panels. Files
 * are parsed in a worker thread (PPI's take seconds), never on the extension host's thread.
 * A dataset a run was trained from with --data-dir is found through the folder the run recorded.
 */
export class DatasetService {
  private readonly cache = new Map<string, Promise<GraphDataset>>();
  /** Folders runs recorded for their datasets, by name. */
  private readonly knownDirs = new Map<string, string>();

  constructor(
    private readonly dataDir: () => string | undefined,
    private readonly extensionUri: vscode.Uri,
  ) {}

  /** Remembers where a run's dataset came from (from run.json's datasetDir). */
  learn(name: string, dir: string | null | undefined): void {
    if (dir && !this.knownDirs.has(name.toLowerCase())) this.knownDirs.set(name.toLowerCase(), dir);
  }

  get(name: string): Promise<GraphDataset> {
    const dir = this.dataDir() ?? this.knownDirs.get(name.toLowerCase());
    const key = `${name}\u0000${dir ?? ''}`;
    let pending = this.cache.get(key);
    if (!pending) {
      const workerScript = path.join(this.extensionUri.fsPath, 'dist', 'datasetWorker.js');
      pending = loadDatasetInWorker({ name, dataDir: dir, download: false }, workerScript);
      pending.catch(() => this.cache.delete(key)); // a failed load is retried next time
      this.cache.set(key, pending);
    }
    return pending;
  }
}
