import assert from 'node:assert/strict';
import { DatasetError } from '../../src/gat/data/datasetError';

/** A matcher for assert.throws/rejects: a DatasetError with this code whose message has every fragment. */
export function isDatasetError(code: string, ...fragments: string[]): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof DatasetError, `expected a DatasetError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    for (const f of fragments) assert.ok(e.message.includes(f), `message mentions '${f}': ${e.message}`);
    return true;
  };
}
