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

/**
 * Citeseer's eight raw Planetoid files (with SHA256SUMS), committed for the tests: the product
 * downloads Citeseer on demand, and a test must never need the network.
 */
export const fixturePlanetoidDir = path.join(repoRoot, 'test', 'fixtures', 'planetoid');

export const bundledPlanetoidDir = path.join(repoRoot, 'data', 'planetoid');
