/**
 * Where this package's own files are at run time: the folder with package.json at or above the
 * running bundle (dist/ in a build, out/… in the tests), and the worker scripts the build puts in dist/.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The nearest folder at or above `from` with package.json (and every one of `alsoHas`), or undefined. */
export function packageRoot(from: string = __dirname, alsoHas: readonly string[] = []): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if ([`package.json`, ...alsoHas].every((f) => existsSync(path.join(dir, f)))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** dist/<script> next to the nearest package.json above `from`; `hint` ends the error when there is none. */
export function bundledWorker(script: string, from: string = __dirname, hint = ''): string {
  const root = packageRoot(from);
  if (root === undefined) throw new Error(`no package.json above ${from}${hint}`);
  return path.join(root, 'dist', script);
}
