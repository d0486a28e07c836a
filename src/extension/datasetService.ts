import { loadPlanetoid } from '../gat/data/planetoid';
import type { GraphDataset } from '../gat/data/graph';

/**
 * Loads datasets once per (name, folder) and shares them between records, trees and panels.
 * Cora loads in ~10–40 ms, so this stays on the host; training runs in a child process.
 */
export class DatasetService {
  private readonly cache = new Map<string, Promise<GraphDataset>>();

  constructor(private readonly dataDir: () => string | undefined) {}

  get(name: string): Promise<GraphDataset> {
    const key = `${name}\u0000${this.dataDir() ?? ''}`;
    let pending = this.cache.get(key);
    if (!pending) {
      pending = loadPlanetoid(name, { dataDir: this.dataDir(), download: false });
      pending.catch(() => this.cache.delete(key)); // a failed load is retried next time
      this.cache.set(key, pending);
    }
    return pending;
  }
}
