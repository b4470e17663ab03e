import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { textNormalize } from '../../../transforms/text/normalize.ts';
import { bytesOf, contextOf, inputOf, invalidParam, outputOf } from '../transform-input.ts';

const test = suite('text.normalize');
const params = textNormalize.parseParams;
const run = async (text: string, raw: Record<string, string | boolean> = {}) =>
  bytesOf(await outputOf(textNormalize, inputOf('t.txt', text), params(raw))).toString('utf8');

test('NFKC: full-width letters, ligatures, superscripts, composed accents', async () => {
  assert.is(await run('Ｈｅｌｌｏ ﬁne x² Cafe\u0301', { caseFold: false }), 'Hello fine x2 Café\n');
  // NFC keeps compatibility characters and only composes.
  assert.is(await run('ﬁ Cafe\u0301', { form: 'NFC', caseFold: false }), 'ﬁ Café\n');
});

test('case folding goes beyond lowercasing', async () => {
  // ǅ is a compatibility character: NFKC splits it to d and ž.
  assert.is(await run('Straße ΟΔΟΣ İstanbul ǅ'), 'strasse οδοσ i̇stanbul dž\n');
  assert.is(await run('ABC', { caseFold: 'false' }), 'ABC\n');
});

test('typographic quotes, dashes, minus and ellipsis become ASCII', async () => {
  assert.is(await run('“Quoted” ‘single’ «angled» it’s 5′ — 1–2 −3 ‐ wait…'), '"quoted" \'single\' "angled" it\'s 5\' - 1-2 -3 - wait...\n');
  assert.is(await run('“x”', { punctuation: 'no' }), '“x”\n');
});

test('whitespace: line breaks unified, runs collapsed, invisible characters dropped, blank lines squeezed', async () => {
  const messy = '\r\n  first\u00a0\u00a0line\t\there \r\nzero\u200bwidth soft\u00adhyphen\r\r\r\n\n\nlast\u2028line\u0007  \n\n';
  assert.is(await run(messy, { caseFold: false }), 'first line here\nzerowidth softhyphen\n\nlast\nline\n');
  assert.is(await run('a  b\n', { whitespace: false }), 'a  b\n');
  assert.is(await run(' \n\t\n'), '');
});

test('keeps path, meta and annotations; deterministic; options change the bytes', async () => {
  const input = inputOf('docs/a.txt', 'Ｔｈｅ “End”', { meta: { lang: 'en' }, annotations: { label: 'story' } });
  const a = await outputOf(textNormalize, input, params({}));
  assert.equal([a.path, a.meta, a.annotations, a.mediaType], ['docs/a.txt', { lang: 'en' }, { label: 'story' }, 'text/plain; charset=utf-8']);
  assert.ok(bytesOf(a).equals(bytesOf(await outputOf(textNormalize, input, params({})))));
  assert.not.ok(bytesOf(a).equals(bytesOf(await outputOf(textNormalize, input, params({ caseFold: false })))));
});

test('bytes that are not UTF-8 are rejected', async () => {
  assert.equal(await textNormalize.apply(inputOf('x.txt', Buffer.from([0x61, 0xc3, 0x28])), params({}), contextOf()), { rejected: 'text is not valid UTF-8' });
});

test('parameters', () => {
  assert.equal(params({}), { form: 'NFKC', caseFold: true, punctuation: true, whitespace: true });
  assert.equal(invalidParam(() => params({ form: 'nfkc' })), { field: 'form', reason: 'must be one of NFC, NFD, NFKC, NFKD' });
  assert.is(invalidParam(() => params({ caseFold: 'sometimes' })).field, 'caseFold');
});

test.run();
