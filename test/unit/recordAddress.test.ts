import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRecordAddress, RecordAddressError, type RecordAddressPart } from '../../src/extension/records/recordAddress';

describe('node record addresses', () => {
  it('reads the dataset, node and run of gat-record:/cora/1358.md?run=<run-id>', () => {
    assert.deepEqual(parseRecordAddress('/cora/1358.md', 'run=2026-11-25T01-02-03Z-cora-s42'), { dataset: 'cora', node: 1358, runId: '2026-11-25T01-02-03Z-cora-s42' });
    assert.deepEqual(parseRecordAddress('/citeseer/0', ''), { dataset: 'citeseer', node: 0, runId: undefined });
    assert.deepEqual(parseRecordAddress('/cora/7.md', `run=${encodeURIComponent('r-1.b_2')}`), { dataset: 'cora', node: 7, runId: 'r-1.b_2' });
    assert.deepEqual(parseRecordAddress('/cora/7.md', 'run=a-1&compare=b-2'), { dataset: 'cora', node: 7, runId: 'a-1', compareRunId: 'b-2' }, 'a run to compare with (Compare Runs)');
  });

  const bad: Array<[string, string, RecordAddressPart]> = [
    ['/cora', '', 'address'],
    ['cora/1.md', '', 'address'],
    ['/co ra/1.md', '', 'dataset'],
    ['/%2e%2e/1.md', '', 'dataset'],
    ['/cora/-1.md', '', 'node'],
    ['/cora/1.5.md', '', 'node'],
    ['/cora/1e3.md', '', 'node'],
    ['/cora/9007199254740993.md', '', 'node'],
    ['/cora/%31.md', '', 'node'],
    ['/cora/1.md', 'run=..', 'run'],
    ['/cora/1.md', 'run=..%2F..%2Fetc', 'run'],
    ['/cora/1.md', 'run=a%5Cb', 'run'],
    ['/cora/1.md', 'run=a%00', 'run'],
    ['/cora/1.md', 'run=', 'run'],
    ['/cora/1.md', 'run=a&run=b', 'run'],
    ['/cora/1.md', 'foo=1', 'run'],
    ['/cora/1.md', 'compare=b', 'run'],
    ['/cora/1.md', 'run=a&compare=b&compare=c', 'run'],
    ['/cora/1.md', 'run=a&compare=..', 'run'],
  ];
  for (const [path, query, part] of bad) {
    it(`refuses ${path}${query ? `?${query}` : ''}, naming the ${part}`, () => {
      assert.throws(
        () => parseRecordAddress(path, query),
        (e: unknown) => e instanceof RecordAddressError && e.part === part && e.message.startsWith(`gat-record:${path}${query ? `?${query}` : ''} is not a node record address: `),
      );
    });
  }

  it('gives the (valid) dataset with a bad node, so the provider can name the valid range', () => {
    assert.throws(() => parseRecordAddress('/cora/abc.md', ''), (e: unknown) => e instanceof RecordAddressError && e.part === 'node' && e.value === 'abc' && e.dataset === 'cora');
  });
});
