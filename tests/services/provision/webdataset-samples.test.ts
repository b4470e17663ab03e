import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonValue } from '../../../core/canonical-json.ts';
import { InvalidInputError } from '../../../core/errors.ts';
import type { BlobHash } from '../../../core/ids.ts';
import { comparePaths, type ItemPath } from '../../../core/item-path.ts';
import type { Item } from '../../../core/model.ts';
import { parseSelection } from '../../../services/provision/selection.ts';
import { parseClasses, sampleEntries } from '../../../services/provision/webdataset-layout.ts';
import { groupSamples, MAX_PENDING_ITEMS, type Sample } from '../../../services/provision/webdataset-samples.ts';

const test = suite('WebDataset samples');

const item = (path: string, annotations: JsonValue = null, meta: Record<string, JsonValue> = {}): Item => ({
  path: path as ItemPath,
  blob: '0'.repeat(64) as BlobHash,
  size: 1,
  meta,
  annotations,
});

async function* inOrder(paths: string[]): AsyncGenerator<Item> {
  for (const path of [...paths].sort(comparePaths)) yield item(path);
}

async function samplesOf(paths: string[]): Promise<[string, string[]][]> {
  const out: [string, string[]][] = [];
  for await (const sample of groupSamples(inOrder(paths))) out.push([sample.key, sample.members.map((m) => m.item.path)]);
  return out;
}

test('adjacent members form one sample each', async () => {
  assert.equal(await samplesOf(['d/1.jpg', 'd/1.txt', 'd/2.jpg', 'd/10.jpg', 'd/2.cls']), [
    ['d/1', ['d/1.jpg', 'd/1.txt']],
    ['d/10', ['d/10.jpg']],
    ['d/2', ['d/2.cls', 'd/2.jpg']],
  ]);
});

test('members separated in path order by other samples still come out whole, each key once', async () => {
  const paths = ['k', 'k-x.jpg', 'k!.jpg', 'k.a', 'k.d/1.jpg', 'k.d/1.txt', 'k.d/2.jpg', 'k.z', 'k0.jpg', 'l.jpg'];
  const samples = await samplesOf(paths);
  const keys = samples.map(([key]) => key);
  assert.is(new Set(keys).size, keys.length, String(keys));
  assert.equal(samples.find(([key]) => key === 'k')![1], ['k', 'k.a', 'k.z']);
  assert.equal(samples.find(([key]) => key === 'k.d/1')![1], ['k.d/1.jpg', 'k.d/1.txt']);
  assert.equal(samples.flatMap(([, members]) => members).sort(comparePaths), [...paths].sort(comparePaths));
});

test('too many items held back at once is refused', async () => {
  const paths = ['a', ...Array.from({ length: MAX_PENDING_ITEMS + 1 }, (_, i) => `a.${String(i).padStart(6, '0')}`)];
  const failure = await samplesOf(paths).then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.instance(failure, InvalidInputError);
});

test('.json holds the one labeled member\'s annotations and meta, or every carrier by extension; .cls a single class', () => {
  const names = (sample: Sample, classes?: string) =>
    sampleEntries(sample, parseSelection({}), classes === undefined ? undefined : parseClasses(classes)).map((e) =>
      e.kind === 'item' ? e.item.path : `${e.name}=${Buffer.from(e.bytes).toString()}`,
    );
  const one: Sample = { key: 's/1', members: [{ item: item('s/1.jpg', { label: 'cat' }, { w: 2 }), extension: 'jpg' }, { item: item('s/1.txt'), extension: 'txt' }] };
  assert.equal(names(one), ['s/1.jpg', 's/1.txt', 's/1.json={"annotations":{"label":"cat"},"meta":{"w":2}}', 's/1.cls=cat']);
  assert.equal(names(one, 'dog,cat'), ['s/1.jpg', 's/1.txt', 's/1.json={"annotations":{"label":"cat"},"meta":{"w":2}}', 's/1.cls=1']);
  assert.equal(names(one, 'dog'), ['s/1.jpg', 's/1.txt', 's/1.json={"annotations":{"label":"cat"},"meta":{"w":2}}']);
  const two: Sample = { key: 's/2', members: [{ item: item('s/2.jpg', 7), extension: 'jpg' }, { item: item('s/2.txt', null, { lang: 'en' }), extension: 'txt' }] };
  assert.equal(names(two), ['s/2.jpg', 's/2.txt', 's/2.json={"members":{"jpg":{"annotations":7,"meta":{}},"txt":{"annotations":null,"meta":{"lang":"en"}}}}', 's/2.cls=7']);
  const own: Sample = { key: 's/3', members: [{ item: item('s/3.cls', 'x'), extension: 'cls' }, { item: item('s/3.json'), extension: 'json' }] };
  assert.equal(names(own), ['s/3.cls', 's/3.json']);
  assert.equal(names({ key: 's/4', members: [{ item: item('s/4.jpg'), extension: 'jpg' }] }), ['s/4.jpg']);
  assert.throws(() => parseClasses('a,,b'), /empty/);
  assert.throws(() => parseClasses('a,b,a'), /twice/);
});

test.run();
