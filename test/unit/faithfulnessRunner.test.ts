/**
 * GAT: Faithfulness…'s child process, outside a workbench: the arguments it builds, `gat faithfulness
 * --progress json` read line by line as the real CLI writes it, a job that saves its results, a
 * cancel that kills the child and leaves the saved results as they were, one job per run, a failure
 * told in the CLI's own line; and the panel's exports: the CSV of the saved report is the CLI's
 * --csv byte for byte, and a damaged report is refused with one line naming the file.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { faithfulnessArgs, parseFaithfulnessProgress, type FaithfulnessProgress } from '../../src/extension/cli/faithfulnessArgs';
import { FaithfulnessJobs } from '../../src/extension/cli/faithfulnessJobs';
import { readFaithfulness } from '../../src/gat/artifacts/faithfulnessRecord';
import { faithfulnessCsv, readFaithfulnessReport } from '../../src/gat/artifacts/faithfulnessReport';
import type { FaithfulnessReport } from '../../src/protocol/faithfulness';
import { runGat } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';
import { trainCora } from '../helpers/trainedCora';

/** The jobs as the extension makes them, its folder being this checkout (dist/cli.js built). */
const extensionUri = { fsPath: repoRoot } as vscode.Uri;

/** Live processes whose command line holds every one of `parts` (this user's, read from /proc). */
function processesWith(...parts: string[]): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return parts.every((p) => cmdline.includes(p));
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

describe('faithfulness arguments and progress lines', () => {
  it('builds the CLI arguments for each choice: JSON out, JSON progress, the default rankings or GNNExplainer too', () => {
    const tail = ['--json', '--progress', 'json'];
    assert.deepEqual(faithfulnessArgs('/o/runs/r1', { nodes: 'test', gnnExplainer: false }), ['faithfulness', '--run', '/o/runs/r1', '--nodes', 'test', '--methods', 'attention,leave-one-out,saliency,integrated-gradients', ...tail]);
    assert.deepEqual(faithfulnessArgs('/o/runs/r1', { nodes: 200, gnnExplainer: true }), ['faithfulness', '--run', '/o/runs/r1', '--nodes', '200', '--methods', 'attention,leave-one-out,saliency,integrated-gradients,gnnexplainer', ...tail]);
    assert.deepEqual(faithfulnessArgs('/o/runs/r1', { nodes: 'all', gnnExplainer: false }).slice(3, 5), ['--nodes', 'all']);
    for (const nodes of [0, -3, 1.5, Number.NaN]) assert.throws(() => faithfulnessArgs('/r', { nodes, gnnExplainer: false }), RangeError, String(nodes));
  });

  it('reads progress lines only: other lines, torn JSON and impossible counts are not progress', () => {
    assert.deepEqual(parseFaithfulnessProgress('{"type":"faithfulnessProgress","done":3,"total":30,"seconds":1.5}'), { done: 3, total: 30, seconds: 1.5 });
    for (const line of ['faithfulness: 3/30 nodes (10%), 1 s', '{"type":"faithfulnessProgress","done":3', '{"type":"faithfulnessProgress","done":31,"total":30,"seconds":1}', '{"type":"faithfulnessProgress","done":-1,"total":30,"seconds":1}', '{"type":"other","done":1,"total":2,"seconds":1}', '']) {
      assert.equal(parseFaithfulnessProgress(line), undefined, line);
    }
  });
});

describe('gat faithfulness in a child process, as GAT: Faithfulness… runs it', () => {
  let runId: string;
  let runDir: string;
  before(async () => {
    ({ runId, runDir } = await trainCora(40, 'wasm'));
  });

  it('--progress json: every stderr line is a progress line, up to every node; the saved report, its CSV and the printed JSON agree', async () => {
    const csv = path.join(tempDir(), 'rows.csv');
    const r = await runGat(['faithfulness', '--run', runDir, '--nodes', '12', '--k', '1,5', '--methods', 'attention,saliency', '--csv', csv, '--json', '--progress', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.trim().split('\n');
    const progress = lines.map(parseFaithfulnessProgress);
    assert.ok(progress.every((p) => p !== undefined), `not progress: ${lines.filter((_, i) => !progress[i]).join(' | ')}`);
    assert.deepEqual(progress[0], { done: 0, total: 12, seconds: 0 }, 'the first line comes before any node, so a bar appears at once');
    assert.equal(progress.at(-1)!.done, 12);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.done > progress[i - 1]!.done, 'each line moves on');
    const printed = JSON.parse(r.stdout) as FaithfulnessReport;
    const saved = await readFaithfulnessReport(runDir);
    assert.deepEqual(saved, printed, 'the checked report holds every field the CLI wrote');
    assert.equal(faithfulnessCsv(saved!), readFileSync(csv, 'utf8'), "the panel's CSV export is the CLI's --csv");
  });

  it('a job reports its progress, saves faithfulness.json, and ends as done', async () => {
    const jobs = new FaithfulnessJobs(extensionUri);
    const seen: FaithfulnessProgress[] = [];
    const job = jobs.start(runId, runDir, { nodes: 10, gnnExplainer: false });
    jobs.onDidChange((changed) => changed === runId && job.progress && seen.push(job.progress));
    assert.equal(jobs.get(runId), job);
    assert.deepEqual(await job.finished, { kind: 'done' });
    assert.equal(jobs.get(runId), undefined, 'forgotten once it ends');
    assert.equal(seen.at(-1)?.done, 10);
    assert.equal(seen.at(-1)?.total, 10);
    const saved = await readFaithfulnessReport(runDir);
    assert.equal(saved?.selection, '10 test nodes (seed 1)');
    assert.deepEqual(saved?.methods, ['attention', 'leave-one-out', 'saliency', 'integrated-gradients', 'random']);
    assert.equal(saved?.rows.length, 10 * 5);
  });

  it('Cancel kills the child at once and leaves the saved results byte for byte; one job per run meanwhile', async () => {
    const before = readFileSync(path.join(runDir, 'faithfulness.json'));
    const jobs = new FaithfulnessJobs(extensionUri);
    const job = jobs.start(runId, runDir, { nodes: 'all', gnnExplainer: true }); // every node with GNNExplainer: far longer than this test
    assert.throws(() => jobs.start(runId, runDir, { nodes: 5, gnnExplainer: false }), /faithfulness of run \S+ is already running/);
    const started = Date.now();
    while (!(job.progress && job.progress.total > 0)) {
      assert.ok(Date.now() - started < 60_000, 'the CLI reported no progress within a minute');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const pids = processesWith('faithfulness', runDir, 'all');
    assert.equal(pids.length, 1, `one child measuring the run: ${pids.join(', ')}`);
    const cancelledAt = Date.now();
    job.cancel();
    assert.deepEqual(await job.finished, { kind: 'cancelled' });
    assert.ok(Date.now() - cancelledAt < 5000, `the child ended ${Date.now() - cancelledAt} ms after Cancel`);
    assert.equal(existsSync(`/proc/${pids[0]}`), false, `process ${pids[0]} is gone`);
    assert.deepEqual(readFileSync(path.join(runDir, 'faithfulness.json')), before, 'the saved results are unchanged');
    assert.deepEqual(readdirSync(runDir).filter((f) => f.includes('faithfulness') && f !== 'faithfulness.json'), [], 'no half-written file left');
    assert.equal(jobs.get(runId), undefined);
  });

  it("a failure is the CLI's own line, without the progress lines", async () => {
    const jobs = new FaithfulnessJobs(extensionUri);
    const tooMany = await jobs.start(runId, runDir, { nodes: 5000, gnnExplainer: false }).finished;
    assert.equal(tooMany.kind, 'failed');
    assert.equal(tooMany.kind === 'failed' && tooMany.message, '--nodes 5000: cora has 1000 test nodes');
    const missing = path.join(tempDir(), 'no-run-here');
    const gone = await jobs.start('gone', missing, { nodes: 'test', gnnExplainer: false }).finished;
    assert.match(gone.kind === 'failed' ? gone.message : '', new RegExp(`^no run '${missing.replace(/[/.]/g, '\\$&')}': pass a run folder`));
  });

  it('a damaged report is refused with one line naming the file and what to do; a missing one is undefined', async () => {
    const good = JSON.parse(readFileSync(path.join(runDir, 'faithfulness.json'), 'utf8')) as FaithfulnessReport;
    const file = (dir: string): string => path.join(dir, 'faithfulness.json');
    const cases: Array<[string, (r: FaithfulnessReport) => unknown, RegExp]> = [
      ['a row with too few values', (r) => ({ ...r, rows: r.rows.map((x, i) => (i === 3 ? { ...x, plusDrop: x.plusDrop.slice(1) } : x)) }), /\(row 4, field 'plusDrop': one value per k\)/],
      ['an unknown method', (r) => ({ ...r, rows: r.rows.map((x, i) => (i === 0 ? { ...x, method: 'shap' } : x)) }), /\(row 1\)/],
      ['a changed flag that is not 0 or 1', (r) => ({ ...r, rows: r.rows.map((x) => ({ ...x, plusChanged: x.plusChanged.map(() => 2) })) }), /\(row 1, field 'plusChanged': one value per k\)/],
      ['a string where a number belongs', (r) => ({ ...r, rows: r.rows.map((x) => ({ ...x, node: '7' })) }), /\(row 1\)/],
      ['no rows', (r) => ({ ...r, rows: null }), /\(field 'rows'\)/],
      ['a summary row without its score', (r) => ({ ...r, summary: r.summary.map(({ fidelityPlus: _f, ...rest }) => rest) }), /\(summary row 1, field 'fidelityPlus'\)/],
    ];
    for (const [what, damage, reason] of cases) {
      const dir = tempDir();
      writeFileSync(file(dir), JSON.stringify(damage(good)));
      await assert.rejects(readFaithfulnessReport(dir), (e: Error) => {
        assert.match(e.message, reason, what);
        assert.ok(e.message.startsWith(`${file(dir)} is not a faithfulness record GAT Explorer wrote (`), e.message);
        assert.ok(e.message.endsWith(': run gat faithfulness again to replace it'), e.message);
        assert.equal(e.message.split('\n').length, 1);
        return true;
      });
    }
    assert.equal(await readFaithfulnessReport(tempDir()), undefined);
  });

  it('a torn faithfulness.json (a copy cut short) names the file and where, for the summary reader too', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'faithfulness.json'), readFileSync(path.join(runDir, 'faithfulness.json'), 'utf8').slice(0, 300));
    for (const read of [readFaithfulness, readFaithfulnessReport]) {
      await assert.rejects(read(dir), (e: Error) => {
        assert.match(e.message, new RegExp(`^${path.join(dir, 'faithfulness.json').replace(/[/.-]/g, '\\$&')} is not valid JSON \\(at line 1, column 301: [^\\n]+\\): run gat faithfulness again to replace it$`));
        return true;
      });
    }
  });
});
