import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forMarkdown, forNotification, forTerminal, MAX_SHOWN_CHARS, md, mdCode, notice, term, withoutControls } from '../../src/gat/io/safeText';

/** VS Code's notification link syntax (its linkedText parser): `[label](command:|file:|http(s):…)`. */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('safeText: file-borne text shown as text', () => {
  it('a notification loses the link syntax of a command link, a file link and a web link, and keeps the words', () => {
    for (const hostile of ['[Click](command:workbench.action.terminal.new)', '[x](command:gat.installGpuBackend?%5B%22a%22%5D "title")', '[open](file:///etc/passwd)', '[web](https://example.com/a)', 'a] (b) [c](command:d)']) {
      assert.match(hostile, /\]\(/, 'the case carries link syntax');
      const shown = forNotification(hostile);
      assert.doesNotMatch(shown, NOTIFICATION_LINK, shown);
      assert.ok(shown.includes('command:') || shown.includes('file:') || shown.includes('https:') || shown.includes('c]'), 'the text is still there to read');
    }
    // A notification is one line: newlines and control characters do not survive either.
    assert.equal(forNotification('a\nb\r\nc\u001b[31m'), 'a b c\uFFFD[31m');
  });

  it('the notice template escapes only the interpolated values, never the literal text', () => {
    const file = 'model[x](command:workbench.action.terminal.new).pth';
    const shown = notice`GAT: ${file} imported as run ${'r1'}.`;
    assert.equal(shown, 'GAT: model[x] (command:workbench.action.terminal.new).pth imported as run r1.');
    assert.doesNotMatch(shown, NOTIFICATION_LINK);
    assert.equal(notice`GAT: ${new Error('bad [a](command:b)')}`, 'GAT: bad [a] (command:b)');
  });

  it('Markdown: links, images, HTML, emphasis and code come out as the characters they are', () => {
    const hostile = '**bold** [link](command:x) ![img](https://e.com/i.png) <img src=x onerror=alert(1)> `code` _u_ | t | # h $x$ https://e.com';
    const escaped = forMarkdown(hostile);
    // Every syntax character is preceded by a backslash; nothing else changes.
    assert.equal(escaped.replace(/\\(.)/g, '$1'), hostile);
    for (const c of '*[]()!<>`_|#$:') assert.ok(!new RegExp(`(^|[^\\\\])\\${c}`).test(escaped), `an unescaped ${c} in ${escaped}`);
    assert.equal(forMarkdown('line 1\nline 2'), 'line 1  \nline 2', 'line breaks stay, as Markdown line breaks');
    assert.equal(md`**${'a*b'}** ok`, '**a\\*b** ok', 'literal Markdown stays, values are escaped');
  });

  it('a code span holds any name, backticks included, without closing early', () => {
    assert.equal(String(mdCode('gat_net.0.linear_proj.weight')), '`gat_net.0.linear_proj.weight`');
    assert.equal(String(mdCode('a`b')), '``a`b``');
    assert.equal(String(mdCode('`x`')), '`` `x` ``');
    assert.equal(String(mdCode('a\nb')), '`a b`', 'one line');
    assert.equal(md`- ${mdCode('w[x](y)')} [3]`, '- `w[x](y)` [3]', 'md inserts a code span as it is');
  });

  it('the terminal gets no control character: ESC, BEL, NUL, CR, C1 and bidi overrides are replaced; tab and newline stay', () => {
    const hostile = 'r\u001b]0;pwned\u0007\u001b[2J\u0000\r\u009b31m\u202eevil\tok\n';
    const shown = forTerminal(hostile);
    assert.doesNotMatch(shown, CONTROLS);
    assert.doesNotMatch(shown, /\u202e/);
    assert.match(shown, /\tok\n$/);
    assert.equal(term`run ${'a\u001bb'} done\n`, 'run a\uFFFDb done\n');
    assert.equal(withoutControls('x'.repeat(5000) + '\u0007').length, 5001, 'whole outputs are not cut');
  });

  it('one value is capped: a file can hold megabytes in one field', () => {
    const shown = forNotification('x'.repeat(MAX_SHOWN_CHARS + 500));
    assert.ok(shown.length < MAX_SHOWN_CHARS + 50);
    assert.match(shown, /… \(500 more characters\)$/);
  });
});
