/**
 * Where the bundled t-SNE worker lives. A leaf of its own: the in-process run (its helper threads)
 * and the host-side runner both start it, and neither may import the other for it.
 */
import { bundledWorker } from '../io/packageFiles';

/** dist/tsneWorker.js next to the nearest package.json above `from` (bundles live in dist/, out/). */
export function defaultWorkerScript(from: string = __dirname): string {
  return bundledWorker('tsneWorker.js', from, ': pass workerScript explicitly');
}
