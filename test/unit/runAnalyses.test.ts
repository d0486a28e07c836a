import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { AnalysisUnavailableError, RunAnalyses } from '../../src/gat/analysis/runAnalyses';
import { tempDir } from '../helpers/tempDir';
import { trainCora } from '../helpers/trainedCora';

describe('a run\'s analysis for the panels', () => {
  const out = tempDir(); // at suite level: its clean-up runs after the whole suite
  let runId: string;
  before(async () => {
    runId = (await trainCora(5, 'cpu', { out })).runId;
  });

  it('reads the run and its analysis artifact', async () => {
    const { run, analysis } = await new RunAnalyses(() => out).get(runId);
    assert.equal(run.runId, runId);
    assert.equal(analysis.numNodes, 2708);
  });

  it('a missing artifact names the run and the exact command that regenerates it', async () => {
    const file = path.join(out, 'runs', runId, 'analysis.safetensors');
    renameSync(file, `${file}.away`);
    try {
      await assert.rejects(new RunAnalyses(() => out).get(runId), (e: unknown) => {
        assert.ok(e instanceof AnalysisUnavailableError);
        assert.match(e.message, new RegExp(`analysis of run ${runId} is missing or from an older format`));
        assert.match(e.message, /npx gat analyze --model ".*models\/binaries\/gat_cora_.*\.safetensors"/);
        return true;
      });
    } finally {
      renameSync(`${file}.away`, file);
    }
  });

  it('an artifact from another format is reported the same way, and a later good read is not blocked', async () => {
    const file = path.join(out, 'runs', runId, 'analysis.safetensors');
    renameSync(file, `${file}.away`);
    writeFileSync(file, 'not safetensors');
    const analyses = new RunAnalyses(() => out);
    try {
      await assert.rejects(analyses.get(runId), /older format/);
    } finally {
      renameSync(`${file}.away`, file);
    }
    assert.equal((await analyses.get(runId)).analysis.numNodes, 2708, 'failures are not cached');
  });

  it('an unknown run is a clear error', async () => {
    await assert.rejects(new RunAnalyses(() => out).get('no-such-run'), /Run no-such-run cannot be read/);
  });
});
