import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { textStripHtml } from '../../../transforms/text/strip-html.ts';
import { bytesOf, contextOf, inputOf, invalidParam, outputOf } from '../transform-input.ts';

const test = suite('text.strip-html');
const params = textStripHtml.parseParams;

const PAGE = `<!doctype html>
<html><head><title>  Raccoons &amp; their
 habits </title><style>body { color: red }</style><script>var tracking = "<p>not text</p>";</script></head>
<body>
  <header><a href="/">Home</a> | <a href="/about">About</a></header>
  <nav><ul><li>Menu one</li><li>Menu two</li></ul></nav>
  <main>
    <article>
      <header><h1>Night   foragers</h1></header>
      <p>Raccoons are <b>nocturnal</b>&nbsp;mammals &mdash; they eat <i>almost</i> anything.<br>Even   trash.</p>
      <!-- a comment -->
      <p hidden>Hidden paragraph.</p>
      <ul><li>Fruit</li><li>Insects &lt;small&gt;</li></ul>
      <table><tr><th>Region</th><th>Count</th></tr><tr><td>North</td><td>12</td></tr></table>
      <pre>  code
    indented</pre>
      <div role="navigation">Skip links</div>
      <p>Broken <b>markup <i>here</p>
    </article>
    <aside>Related: bears</aside>
  </main>
  <footer>&copy; 2024 Example</footer>
  <noscript>Enable JavaScript</noscript>
</body></html>`;

test('visible article text: entities decoded, boilerplate and invisible elements gone, layout kept', async () => {
  const output = await outputOf(textStripHtml, inputOf('web/raccoons.html', PAGE, { meta: { url: 'https://example.org' } }), params({}));
  assert.is(output.path, 'web/raccoons.txt');
  assert.is(output.mediaType, 'text/plain; charset=utf-8');
  assert.equal(output.meta, { url: 'https://example.org', title: 'Raccoons & their habits' });
  assert.is(
    bytesOf(output).toString('utf8'),
    [
      'Night foragers',
      '',
      'Raccoons are nocturnal\u00a0mammals \u2014 they eat almost anything.',
      'Even trash.',
      '',
      'Fruit',
      'Insects <small>',
      '',
      'Region\tCount',
      'North\t12',
      '',
      '  code',
      '    indented',
      '',
      'Broken markup here',
      '',
    ].join('\n'),
  );
});

test('boilerplate=false keeps page furniture (scripts, styles and hidden parts still go)', async () => {
  const text = bytesOf(await outputOf(textStripHtml, inputOf('a.html', PAGE), params({ boilerplate: 'false' }))).toString('utf8');
  for (const kept of ['Home | About', 'Menu one', 'Skip links', 'Related: bears', '© 2024 Example']) assert.ok(text.includes(kept), kept);
  for (const gone of ['tracking', 'color: red', 'Hidden paragraph', 'Enable JavaScript', 'a comment']) assert.not.ok(text.includes(gone), gone);
});

test('a fragment without a title; empty input gives empty text', async () => {
  const output = await outputOf(textStripHtml, inputOf('f.htm', 'Just <em>some</em>   text<script>x()</script>', { meta: { a: 1 } }), params({}));
  assert.equal([output.path, bytesOf(output).toString('utf8'), output.meta], ['f.txt', 'Just some text\n', { a: 1 }]);
  assert.is(bytesOf(await outputOf(textStripHtml, inputOf('e.html', ''), params({}))).length, 0);
});

test('deeply nested markup does not overflow the stack', async () => {
  const deep = '<div>'.repeat(50_000) + 'bottom' + '</div>'.repeat(50_000);
  assert.is(bytesOf(await outputOf(textStripHtml, inputOf('d.html', deep), params({}))).toString('utf8'), 'bottom\n');
});

test('deterministic; the parameter changes the bytes; not UTF-8 is rejected', async () => {
  const input = inputOf('a.html', PAGE);
  const a = bytesOf(await outputOf(textStripHtml, input, params({})));
  assert.ok(a.equals(bytesOf(await outputOf(textStripHtml, input, params({})))));
  assert.not.ok(a.equals(bytesOf(await outputOf(textStripHtml, input, params({ boilerplate: false })))));
  assert.equal(await textStripHtml.apply(inputOf('x.html', Buffer.from([0x3c, 0x70, 0x3e, 0xff])), params({}), contextOf()), { rejected: 'text is not valid UTF-8' });
});

test('parameters', () => {
  assert.equal(params({}), { boilerplate: true });
  assert.is(invalidParam(() => params({ boilerplate: 'nav' })).field, 'boilerplate');
});

test.run();
