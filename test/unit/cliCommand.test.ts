import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineCommand } from '../../src/gat/cli/command';
import { UsageError } from '../../src/gat/options/args';

/** A command that records what it was given. */
function probe(positionals = false) {
  const calls: unknown[] = [];
  const command = defineCommand({
    summary: 'a test command',
    usage: 'gat probe --model FILE [--json]',
    description: 'Records its options.',
    options: { model: { type: 'string', help: 'a file (required)' }, json: { type: 'boolean', help: 'as JSON' } },
    required: ['model'],
    positionals,
    async run(opts, write, context) {
      calls.push({ model: opts.model, json: opts.json, positionals: context.positionals });
      write('ran\n');
      return 0;
    },
  });
  return { command, calls };
}

async function run(command: ReturnType<typeof probe>['command'], argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await command.run(argv, (s) => (out += s));
  return { code, out };
}

describe('defineCommand: one front door for every gat command', () => {
  it('hands the parsed options to run', async () => {
    const { command, calls } = probe();
    assert.deepEqual(await run(command, ['--model', 'a.pth', '--json']), { code: 0, out: 'ran\n' });
    assert.deepEqual(calls, [{ model: 'a.pth', json: true, positionals: [] }]);
  });

  it('prints its help and exits with 2 when a required option is missing, without running', async () => {
    const { command, calls } = probe();
    const r = await run(command, ['--json']);
    assert.equal(r.code, 2);
    assert.equal(r.out, command.help + '\n');
    assert.match(command.help, /^usage: gat probe --model FILE \[--json\]\n\nRecords its options\.\n\noptions:\n {2}--model <value>\n {6}a file \(required\)/);
    assert.deepEqual(calls, []);
  });

  it('refuses an unknown option or a stray argument as a UsageError before any work', async () => {
    const { command, calls } = probe();
    await assert.rejects(run(command, ['--model', 'a', '--bogus']), (e: unknown) => e instanceof UsageError && /unknown option --bogus/.test(e.message));
    await assert.rejects(run(command, ['--model', 'a', 'stray']), (e: unknown) => e instanceof UsageError && /unexpected argument 'stray'/.test(e.message));
    assert.deepEqual(calls, []);
  });

  it('passes arguments that are not options on, when the command takes them', async () => {
    const { command, calls } = probe(true);
    assert.equal((await run(command, ['runA', '--model=m', 'runB'])).code, 0);
    assert.deepEqual(calls, [{ model: 'm', json: false, positionals: ['runA', 'runB'] }]);
  });
});
