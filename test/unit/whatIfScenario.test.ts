/**
 * What-if scenario files (runs/<id>/scenarios/<name>.json): saved atomically and only there, read
 * back field by field, and every hostile file refused with one line naming it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { listScenarios, readScenario, ScenarioError, scenarioFile, writeScenario } from '../../src/gat/artifacts/whatIfScenario';
import { SCENARIO_FORMAT, type ScenarioFile } from '../../src/protocol/whatIf';
import { tempDir } from '../helpers/tempDir';

const scenario = (over: Partial<ScenarioFile> = {}): ScenarioFile => ({
  format: SCENARIO_FORMAT,
  name: 'drop-919',
  runId: '2026-01-01T00-00-00Z-cora-s42',
  dataset: 'cora',
  node: 1358,
  directed: false,
  edits: [
    { kind: 'remove-edge', source: 919, target: 1358 },
    { kind: 'feature-off', node: 1358, feature: 12 },
  ],
  savedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

/** A run folder with a few files of its own, to check nothing but scenarios/ changes. */
function runFolder(): string {
  const dir = path.join(tempDir(), 'runs', 'r1');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'run.json'), '{"kept": true}\n');
  writeFileSync(path.join(dir, 'metrics.jsonl'), '{}\n');
  return dir;
}

/** Every file under `dir` with its bytes. */
function snapshotOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = path.join(e.parentPath, e.name);
    if (e.isFile()) out[path.relative(dir, p)] = readFileSync(p, 'utf8');
  }
  return out;
}

describe('what-if scenario files', () => {
  it('round-trips: saved as scenarios/<name>.json, listed, opened with every field as saved', async () => {
    const run = runFolder();
    const before = snapshotOf(run);
    const file = await writeScenario(run, scenario());
    assert.equal(file, path.join(run, 'scenarios', 'drop-919.json'));
    await writeScenario(run, scenario({ name: 'a.second_one', edits: [] }));
    assert.deepEqual(await listScenarios(run), ['a.second_one', 'drop-919']);
    assert.deepEqual(await readScenario(run, 'drop-919'), scenario());
    // nothing else of the run changed, and no temp file is left
    const after = snapshotOf(run);
    assert.deepEqual(Object.keys(after).sort(), [...Object.keys(before), 'scenarios/a.second_one.json', 'scenarios/drop-919.json'].sort());
    for (const [f, text] of Object.entries(before)) assert.equal(after[f], text);
    // readable by a person: one field a line
    assert.match(readFileSync(file, 'utf8'), /^\{\n {2}"format": "gat-explorer\/scenario\/1",\n/);
  });

  it('replaces a scenario of the same name whole', async () => {
    const run = runFolder();
    await writeScenario(run, scenario());
    await writeScenario(run, scenario({ edits: [{ kind: 'add-edge', source: 5, target: 1358 }] }));
    assert.deepEqual((await readScenario(run, 'drop-919')).edits, [{ kind: 'add-edge', source: 5, target: 1358 }]);
  });

  it('lists no scenario for a run without the folder, and leaves out files no name could give', async () => {
    const run = runFolder();
    assert.deepEqual(await listScenarios(run), []);
    mkdirSync(path.join(run, 'scenarios', 'folder.json'), { recursive: true });
    writeFileSync(path.join(run, 'scenarios', '.hidden.json'), '{}');
    writeFileSync(path.join(run, 'scenarios', 'notes.txt'), '');
    writeFileSync(path.join(run, 'scenarios', 'ok.json'), '{}');
    assert.deepEqual(await listScenarios(run), ['ok']);
  });

  it('refuses a name that is a path, never writing outside scenarios/', async () => {
    const run = runFolder();
    for (const name of ['../run', '../../escape', '/etc/passwd', 'a/b', '', 'CON', 'x'.repeat(65)]) {
      assert.throws(() => scenarioFile(run, name), (e: unknown) => e instanceof ScenarioError && /cannot name a scenario: use letters, digits/.test(e.message), name);
      await assert.rejects(writeScenario(run, scenario({ name })), ScenarioError, name);
    }
    assert.deepEqual(Object.keys(snapshotOf(path.dirname(path.dirname(run)))).sort(), ['runs/r1/metrics.jsonl', 'runs/r1/run.json']);
  });

  it('will not write through a scenarios "folder" that is a link or a file', async () => {
    const run = runFolder();
    const elsewhere = tempDir();
    symlinkSync(elsewhere, path.join(run, 'scenarios'));
    await assert.rejects(writeScenario(run, scenario()), /scenarios is not a folder \(a link\): move it away to save scenarios there$/);
    assert.deepEqual(readdirSync(elsewhere), []);
    const other = runFolder();
    writeFileSync(path.join(other, 'scenarios'), 'x');
    await assert.rejects(writeScenario(other, scenario()), /scenarios is not a folder \(a file\)/);
  });

  /** Hostile or damaged scenario files, each refused with one line that names the file. */
  const hostile: ReadonlyArray<readonly [string, (file: string) => void, RegExp]> = [
    ['not JSON', (f) => writeFileSync(f, '{"format": '), /drop-919\.json is not JSON \(line 1, column 12: .*\): fix it, or delete it and save the scenario again$/],
    ['a JSON list', (f) => writeFileSync(f, '[]'), /drop-919\.json is not a what-if scenario: the file must be one JSON object, not a list$/],
    ['a number', (f) => writeFileSync(f, '1358'), /drop-919\.json is not a what-if scenario: the file must be one JSON object, not number$/],
    ['another format', (f) => writeFileSync(f, JSON.stringify({ ...scenario(), format: 'gat-explorer/scenario/9' })), /not a what-if scenario this version reads: 'format' must be one of "gat-explorer\/scenario\/1"/],
    ['an unknown edit kind', (f) => writeFileSync(f, JSON.stringify({ ...scenario(), edits: [{ kind: 'delete-run', source: 1, target: 2 }] })), /'edits' \[0\] 'kind' must be one of "remove-edge", "add-edge", "feature-off", "feature-on"/],
    ['a negative node', (f) => writeFileSync(f, JSON.stringify({ ...scenario(), node: -1 })), /'node' must be an integer from 0/],
    ['a node id as text', (f) => writeFileSync(f, JSON.stringify({ ...scenario(), edits: [{ kind: 'remove-edge', source: '919', target: 1358 }] })), /'edits' \[0\] 'source' must be an integer/],
    ['an extra field', (f) => writeFileSync(f, JSON.stringify({ ...scenario(), command: 'rm -rf ~' })), /has an unexpected field 'command'/],
    ['a __proto__ key', (f) => writeFileSync(f, JSON.stringify(scenario()).replace('{', '{"__proto__":{"polluted":true},')), /has an unexpected field '__proto__'/],
    ['too many edits', (f) => writeFileSync(f, JSON.stringify({ ...scenario(), edits: Array.from({ length: 1001 }, () => ({ kind: 'add-edge', source: 1, target: 2 })) })), /'edits' must have at most 1000 items; got 1001/],
    ['a file past its budget', (f) => writeFileSync(f, `{"pad": "${'x'.repeat(1 << 20)}"}`), /drop-919\.json is \d+ bytes, more than the 1 MiB a what-if scenario may be$/],
    ['deep nesting', (f) => writeFileSync(f, '['.repeat(100_000) + ']'.repeat(100_000)), /not a what-if scenario: the file must be one JSON object, not a list$/],
    ['another name inside', (f) => writeFileSync(f, JSON.stringify({ ...scenario(), name: 'other' })), /drop-919\.json names itself 'other': rename the file to other\.json, or its "name" to drop-919$/],
    ['a folder', (f) => mkdirSync(f), /drop-919\.json is a folder, not a file$/],
    ['a FIFO', (f) => execFileSync('mkfifo', [f]), /drop-919\.json is a FIFO \(named pipe\), not a file$/],
    ['a link to /dev/zero', (f) => symlinkSync('/dev/zero', f), /drop-919\.json is a character device \(a link to \/dev\/zero\), not a file$/],
  ];
  for (const [what, make, reason] of hostile) {
    it(`refuses ${what} with one line naming the file`, async () => {
      const run = runFolder();
      mkdirSync(path.join(run, 'scenarios'));
      const file = path.join(run, 'scenarios', 'drop-919.json');
      make(file);
      await assert.rejects(readScenario(run, 'drop-919'), (e: unknown) => {
        assert.ok(e instanceof ScenarioError, `a ScenarioError, not ${String(e)}`);
        assert.match(e.message, reason);
        assert.ok(!e.message.includes('\n'), 'one line');
        assert.ok(e.message.length < 400, e.message);
        return true;
      });
      assert.ok(statSync(path.join(run, 'run.json')).isFile(), 'the run is untouched');
    });
  }

  it('says which scenario is missing', async () => {
    const run = runFolder();
    await assert.rejects(readScenario(run, 'nope'), /^ScenarioError: no scenario 'nope' in .*scenarios$/);
  });
});
