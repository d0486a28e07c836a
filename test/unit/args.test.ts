import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError, formatHelp, parseArgs, type OptionTable } from '../../src/gat/options/args';

const TABLE = {
  numOfEpochs: { type: 'int', min: 1, max: 10_000, default: 10_000, help: 'epochs' },
  lr: { type: 'number', min: 0, max: 1, exclusiveMin: true, default: 5e-3, help: 'learning rate' },
  shouldTest: { type: 'boolean', help: 'evaluate on test' },
  backend: { type: 'enum', values: ['cpu', 'wasm'], help: 'back end' },
  dataDir: { type: 'string', help: 'folder' },
} as const satisfies OptionTable;

describe('parseArgs', () => {
  it('applies defaults', () => {
    assert.deepEqual(parseArgs([], TABLE), { numOfEpochs: 10_000, lr: 5e-3, shouldTest: false, backend: undefined, dataDir: undefined });
  });

  const spellings: Array<[string[], Partial<Record<keyof typeof TABLE, unknown>>]> = [
    [['--num_of_epochs', '200'], { numOfEpochs: 200 }],
    [['--num-of-epochs=300'], { numOfEpochs: 300 }],
    [['--should_test'], { shouldTest: true }],
    [['--should-test=false'], { shouldTest: false }],
    [['--lr', '0.01', '--backend', 'wasm'], { lr: 0.01, backend: 'wasm' }],
    [['--data-dir', '/tmp/x'], { dataDir: '/tmp/x' }],
    [['--data_dir=/tmp/y'], { dataDir: '/tmp/y' }],
  ];
  for (const [argv, expected] of spellings) {
    it(`reads ${argv.join(' ')}`, () => {
      const parsed = parseArgs(argv, TABLE);
      for (const [k, v] of Object.entries(expected)) assert.equal(parsed[k as keyof typeof TABLE], v);
    });
  }

  const rejected: Array<[string[], RegExp]> = [
    [['--num_of_epochs', '0'], /--num_of_epochs must be ≥ 1 and ≤ 10000; got 0/],
    [['--num-of-epochs', '2.5'], /--num-of-epochs must be an integer/],
    [['--lr', '0'], /--lr must be > 0 and ≤ 1/],
    [['--lr', 'fast'], /--lr must be a number/],
    [['--backend', 'tpu'], /--backend must be one of cpu, wasm; got 'tpu'/],
    [['--epochs', '3'], /unknown option --epochs/],
    [['--lr'], /--lr needs a value/],
    [['train'], /unexpected argument 'train'/],
    [['--should_test=maybe'], /--should_test is a switch/],
  ];
  for (const [argv, message] of rejected) {
    it(`rejects ${argv.join(' ')}`, () => {
      assert.throws(() => parseArgs(argv, TABLE), (e: unknown) => e instanceof UsageError && message.test(e.message));
    });
  }

  it('documents every option with both spellings, range and default', () => {
    const help = formatHelp('gat x', 'desc', TABLE);
    assert.match(help, /--num-of-epochs, --num_of_epochs <int>/);
    assert.match(help, /epochs \(1\.\.10000; default 10000\)/);
    assert.match(help, /--backend <cpu\|wasm>/);
  });
});
