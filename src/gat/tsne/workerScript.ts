/**
 * Where the bundled t-SNE worker lives. A leaf of its own: the in-process run (its helper threads)
 * and the host-side runner both start it, and neither may import the other for it.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** dist/tsneWorker.js next to the nearest package.json above `from` (bundles live in dist/, out/). */
export function defaultWorkerScript(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', 'tsneWorker.js');
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}: pass workerScript explicitly`);
  }
}
