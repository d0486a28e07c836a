import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root, found from the compiled test's location. */
export const repoRoot: string = (() => {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'src', 'gat'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the repository root above ${__dirname}`);
    dir = up;
  }
  return dir;
})();

/** The shared Planetoid files (Cora and Citeseer) that tests and CI read; never committed. */
export const sharedPlanetoidDir = path.resolve(repoRoot, '..', 'shared', 'data', 'planetoid');

export const bundledPlanetoidDir = path.join(repoRoot, 'data', 'planetoid');
