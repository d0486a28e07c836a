import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The folder that holds the bundled Cora files. Found by walking up from this module, so it
 * works from `dist/` (CLI, extension, packaged .vsix) and from compiled tests alike.
 * `GAT_BUNDLED_DATA_DIR` overrides it (tests that simulate a broken install use this).
 */
export function bundledDataDir(): string {
  const override = process.env.GAT_BUNDLED_DATA_DIR;
  if (override) return override;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'data', 'planetoid');
    if (existsSync(path.join(candidate, 'ind.cora.x'))) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '..', 'data', 'planetoid');
}

/**
 * Where downloaded datasets are cached: `--data-dir`, else `GAT_DATA_DIR`, else a per-user
 * cache folder (XDG on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows).
 */
export function resolveDataDir(explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  if (process.env.GAT_DATA_DIR) return path.resolve(process.env.GAT_DATA_DIR);
  return userCacheDir('datasets');
}

/**
 * A folder of the per-user cache (XDG on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows):
 * downloaded datasets, and derived files such as graph layouts. Derived files never go next to a
 * dataset, whose folder may be read-only or inside an installed package.
 */
export function userCacheDir(kind: 'datasets' | 'layouts'): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'gat-explorer', kind);
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'gat-explorer', kind);
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'gat-explorer', kind);
}
