import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';

/** A plan of two areas, `top` above `low`, and three floors in `top`. */
const PLAN = [
  '```areas',
  'top: low',
  'low:',
  '```',
  '```floors',
  'top/app        # the top floor',
  'top/left top/right',
  'top/base',
  'low',
  '```',
].join('\n');

/** Writes `files` (path → source) under a fresh src folder with the plan beside it. */
function fixture(files: Record<string, string>): { root: string; plan: string } {
  const dir = tempDir('gat-layers-');
  const root = path.join(dir, 'src');
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), source);
  }
  const plan = path.join(dir, 'plan.md');
  writeFileSync(plan, PLAN);
  return { root, plan };
}

/** A tree that keeps the plan: every import points down. */
const CLEAN: Record<string, string> = {
  'top/app/main.ts': "import { left } from '../left/left';\nimport { right } from '../right/right';\nexport const main = left + right;\n",
  'top/left/left.ts': "import { base } from '../base/base';\nexport const left = base;\n",
  'top/right/right.ts': "import type { Low } from '../../low/low';\nimport { base } from '../base/base';\nexport const right: Low = base;\n",
  'top/base/base.ts': "export const base = 1;\n",
  'low/low.ts': 'export type Low = number;\n',
};

function check(files: Record<string, string>): { status: number | null; out: string } {
  const { root, plan } = fixture(files);
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'checkLayers.mjs'), '--root', root, '--plan', plan], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('checkLayers (the floor plan check in npm run lint)', () => {
  it('passes a tree whose imports all point down', () => {
    const r = check(CLEAN);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /5 files, 5 imports: no cycle, no upward import/);
  });

  it('fails on a deliberately added cycle, naming its files', () => {
    const r = check({ ...CLEAN, 'top/base/base.ts': "import { other } from './other';\nexport const base = other;\n", 'top/base/other.ts': "import { base } from './base';\nexport const other = 1;\nexport const again = base;\n" });
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /cycle: src\/top\/base\/base\.ts → src\/top\/base\/other\.ts/);
  });

  it('fails on a cycle through a type-only import or a re-export', () => {
    const r = check({ ...CLEAN, 'top/base/base.ts': "export { other } from './other';\nexport const base = 1;\n", 'top/base/other.ts': "import type { } from './base';\nexport const other = 1;\n" });
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /cycle: /);
  });

  it('fails on an import running back up a floor', () => {
    const r = check({ ...CLEAN, 'top/base/base.ts': "import { left } from '../left/left';\nexport const base = left;\n" });
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /upward: src\/top\/base\/base\.ts imports src\/top\/left\/left\.ts \(top\/left is above top\/base\)/);
  });

  it('fails on an import between two folders of one floor', () => {
    const r = check({ ...CLEAN, 'top/left/left.ts': "import { right } from '../right/right';\nexport const left = right;\n" });
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /floor: src\/top\/left\/left\.ts imports src\/top\/right\/right\.ts/);
  });

  it('fails on an import into an area the plan does not allow', () => {
    const r = check({ ...CLEAN, 'low/low.ts': "import { base } from '../top/base/base';\nexport type Low = typeof base;\n" });
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /area: src\/low\/low\.ts imports src\/top\/base\/base\.ts \(low may import no other area\)/);
  });

  it('fails on a folder the plan gives no floor', () => {
    const r = check({ ...CLEAN, 'top/extra/extra.ts': 'export const extra = 1;\n' });
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /unplaced: src\/top\/extra has no floor/);
  });

  it('ignores imports in comments and of packages', () => {
    const r = check({ ...CLEAN, 'top/base/base.ts': "import * as path from 'node:path';\n// import { left } from '../left/left';\n/* import '../app/main'; */\nexport const base = path.sep.length;\n" });
    assert.equal(r.status, 0, r.out);
  });

  it('passes on this repository (the lint step)', () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'checkLayers.mjs')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
