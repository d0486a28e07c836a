/**
 * The fuzzing contract, replayed deterministically: for every fuzz target (test/fuzz/targets), every
 * committed corpus input (test/fuzz/corpus/<target>/: each a finding once, now fixed), every seed and
 * a fixed sample of generated inputs ends in a valid result or the parser's own typed error naming
 * the file and the place, within a second.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { judge, MAX_MS_PER_INPUT, type FuzzTarget } from '../fuzz/target';
import { FUZZ_TARGETS } from '../fuzz/targets';
import { repoRoot } from '../helpers/paths';

const CORPUS = path.join(repoRoot, 'test', 'fuzz', 'corpus');
const SAMPLE_SEED = 20261201;
/** Generated inputs per target (all 12 targets together take about a second). */
const SAMPLES = 150;

function corpusOf(target: FuzzTarget): Array<{ name: string; input: Uint8Array }> {
  const dir = path.join(CORPUS, target.name);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => !f.endsWith('.md'))
    .sort()
    .map((f) => ({ name: f, input: new Uint8Array(readFileSync(path.join(dir, f))) }));
}

async function expectContract(target: FuzzTarget, input: Uint8Array, what: string): Promise<void> {
  const outcome = await judge(target, input);
  if (outcome.kind === 'finding') assert.fail(`${target.name} ${what}: ${outcome.signature}\n${outcome.reason}`);
  assert.ok(outcome.ms <= MAX_MS_PER_INPUT, `${target.name} ${what} took ${outcome.ms.toFixed(0)} ms (limit ${MAX_MS_PER_INPUT} ms)`);
}

describe('fuzz corpus replay', () => {
  it('has a corpus folder only for registered targets', () => {
    const names = new Set(FUZZ_TARGETS.map((t) => t.name));
    for (const dir of existsSync(CORPUS) ? readdirSync(CORPUS) : []) if (!dir.endsWith('.md')) assert.ok(names.has(dir), `test/fuzz/corpus/${dir} belongs to no fuzz target`);
  });

  for (const target of FUZZ_TARGETS) {
    describe(target.name, () => {
      it('committed corpus inputs (fixed findings) keep the contract', async () => {
        for (const { name, input } of corpusOf(target)) await expectContract(target, input, `corpus ${name}`);
      });
      it('seeds keep the contract', async () => {
        for (const [i, s] of target.seeds().entries()) await expectContract(target, s, `seed ${i}`);
      });
      it('a fixed sample of generated inputs keeps the contract', async () => {
        const inputs = fc.sample(target.generate, { numRuns: SAMPLES, seed: SAMPLE_SEED });
        for (const [i, input] of inputs.entries()) await expectContract(target, input, `generated input ${i} (fc seed ${SAMPLE_SEED})`);
      });
    });
  }
});
