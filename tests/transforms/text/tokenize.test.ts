import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { textTokenize } from '../../../transforms/text/tokenize.ts';
import { bytesOf, contextOf, inputOf, invalidParam, keptBlobOf, outputsOf } from '../transform-input.ts';

const test = suite('text.tokenize');
const params = textTokenize.parseParams;

async function tokens(text: string, raw: Record<string, string> = {}) {
  const outputs = await outputsOf(textTokenize, inputOf('t.txt', text), params(raw));
  return JSON.parse(bytesOf(outputs[1]!).toString('utf8')) as { unit: string; locale: string; tokens: string[]; spans: [number, number][] };
}

test('words: the original is kept, the tokens item added beside it', async () => {
  const input = inputOf('docs/a.txt', 'Raccoons eat fruit, insects — and trash!', { meta: { lang: 'en' }, annotations: { label: 'fact' } });
  const [original, tokenized] = await outputsOf(textTokenize, input, params({}));
  assert.equal([original!.path, keptBlobOf(original!), original!.meta], ['docs/a.txt', input.blob, { lang: 'en' }]);
  assert.is(tokenized!.path, 'docs/a.txt.tokens.json');
  assert.is(tokenized!.mediaType, 'application/json');
  assert.equal(tokenized!.annotations, { label: 'fact' });
  assert.equal(tokenized!.meta, { lang: 'en', tokenized: { source: 'docs/a.txt', unit: 'words', locale: 'en', count: 6 } });
  assert.equal(JSON.parse(bytesOf(tokenized!).toString('utf8')), {
    locale: 'en',
    spans: [[0, 8], [9, 12], [13, 18], [20, 27], [30, 33], [34, 39]],
    tokens: ['Raccoons', 'eat', 'fruit', 'insects', 'and', 'trash'],
    unit: 'words',
  });
});

test('spans count code points, so astral characters count once', async () => {
  const text = '😀 naïve café 𝒳';
  const { tokens: words, spans } = await tokens(text);
  assert.equal(words, ['naïve', 'café', '𝒳']);
  const points = [...text];
  for (const [i, [start, end]] of spans.entries()) assert.is(points.slice(start, end).join(''), words[i]);
  // In UTF-16 the emoji and 𝒳 take two units each; in code points one.
  assert.equal(spans, [[2, 7], [8, 12], [13, 14]]);
});

test('sentences, trimmed, in other scripts too', async () => {
  const { tokens: sentences, spans } = await tokens('  The raccoon arrived at 3.5 am.  Was it late?\nYes! ', { unit: 'sentences' });
  assert.equal(sentences, ['The raccoon arrived at 3.5 am.', 'Was it late?', 'Yes!']);
  assert.equal(spans, [[2, 32], [34, 46], [47, 51]]);
  assert.equal((await tokens('今日は晴れです。明日は雨です。', { unit: 'sentences', locale: 'ja' })).tokens, ['今日は晴れです。', '明日は雨です。']);
});

test('languages without spaces are split by dictionary', async () => {
  const { tokens: words } = await tokens('我喜欢浣熊', { locale: 'zh' });
  assert.ok(words.length >= 2, `${words}`);
  assert.is(words.join(''), '我喜欢浣熊');
});

test('earlier tokens items are left out; not UTF-8 is rejected; deterministic', async () => {
  assert.equal(await textTokenize.apply(inputOf('a.txt.tokens.json', '{"tokens":[]}'), params({}), contextOf()), []);
  assert.equal(await textTokenize.apply(inputOf('b.txt', Buffer.from([0xfe, 0xff])), params({}), contextOf()), { rejected: 'text is not valid UTF-8' });
  const input = inputOf('c.txt', 'One two. Three four.');
  const a = await outputsOf(textTokenize, input, params({}));
  const b = await outputsOf(textTokenize, input, params({}));
  const c = await outputsOf(textTokenize, input, params({ unit: 'sentences' }));
  assert.ok(bytesOf(a[1]!).equals(bytesOf(b[1]!)));
  assert.not.ok(bytesOf(a[1]!).equals(bytesOf(c[1]!)));
});

test('parameters: the locale is checked and stored canonically', () => {
  assert.equal(params({}), { unit: 'words', locale: 'en' });
  assert.equal(params({ locale: 'EN-us' }), { unit: 'words', locale: 'en-US' });
  assert.equal(invalidParam(() => params({ locale: 'not a locale!' })), { field: 'locale', reason: 'must be a BCP 47 language tag such as en, de-CH, ja' });
  assert.equal(invalidParam(() => params({ unit: 'characters' })), { field: 'unit', reason: 'must be one of words, sentences' });
});

test.run();
