/**
 * The Computation panel's source links, resolved by the build from `// explain: <step>` markers:
 * one per step, each pointing at the line after its marker, in a file the package ships (dist/source).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EXPLAIN_STEPS, type ExplainSources } from '../../src/protocol/explanation';
import { repoRoot } from '../helpers/paths';

describe('explain source links (dist/explainSources.json, written by npm run build)', () => {
  const sources = JSON.parse(readFileSync(path.join(repoRoot, 'dist', 'explainSources.json'), 'utf8')) as ExplainSources;

  it('links every step, each right below its marker, to a file the package ships unchanged', () => {
    assert.deepEqual(Object.keys(sources).sort(), [...EXPLAIN_STEPS].sort());
    for (const step of EXPLAIN_STEPS) {
      const at = sources[step]!;
      const repo = readFileSync(path.join(repoRoot, at.file), 'utf8').split('\n');
      assert.match(repo[at.line - 2], new RegExp(`^\\s*// explain: ${step}\\b`), `${step}: the marker is not on line ${at.line - 1} of ${at.file}`);
      assert.doesNotMatch(repo[at.line - 1], /^\s*$/, `${step}: line ${at.line} of ${at.file} is blank`);
      assert.equal(readFileSync(path.join(repoRoot, 'dist', 'source', at.file), 'utf8'), repo.join('\n'), `${at.file} is shipped as it is`);
    }
    // the steps that are functions point at the function that computes them
    assert.match(readFileSync(path.join(repoRoot, sources.attention!.file), 'utf8').split('\n')[sources.attention!.line - 1], /^export function edgeSoftmax\(/);
    assert.match(readFileSync(path.join(repoRoot, sources.projection!.file), 'utf8').split('\n')[sources.projection!.line - 1], /^export function sparseProject\(/);
  });
});
