import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidInputError } from '../../../core/errors.ts';
import { sampleMemberOf } from '../../../core/provision/sample-key.ts';
import { parseShard, shardOf } from '../../../core/provision/shard.ts';

const test = suite('shards and sample keys');

test('shardOf is the first 8 bytes of sha256(key), big-endian, modulo n (pinned values)', () => {
  // sha256("a/0001.jpg") starts with 72a42c934d418f7b; the values were computed independently with
  // python3 -c 'import hashlib; print(int.from_bytes(hashlib.sha256(b"a/0001.jpg").digest()[:8], "big") % n)'
  const pinned: [string, number, number][] = [
    ['a/0001.jpg', 8, 3],
    ['a/0001.jpg', 1000, 147],
    ['ünï/cødé', 7, 2],
  ];
  for (const [key, n, expected] of pinned) assert.is(shardOf(key, n), expected, `${key} % ${n}`);
  assert.is(shardOf('anything', 1), 0);
});

test('shards are spread over all indexes', () => {
  const counts = new Array(8).fill(0);
  for (let i = 0; i < 8000; i++) counts[shardOf(`item/${i}.jpg`, 8)]++;
  for (const count of counts) assert.ok(count > 800 && count < 1200, String(counts));
});

test('parseShard takes i/n with 0 <= i < n <= 65536', () => {
  assert.equal(parseShard('0/1'), { index: 0, count: 1 });
  assert.equal(parseShard('7/8'), { index: 7, count: 8 });
  for (const bad of ['8/8', '0/0', '1', '-1/2', '1/65537', ' 1/2', '1/2/3', 'a/b', '1.0/2'])
    assert.throws(() => parseShard(bad), (e: unknown) => e instanceof InvalidInputError && e.data.field === 'shard', bad);
});

test('sample keys split the file name at its first dot', () => {
  assert.equal(sampleMemberOf('a/0001.jpg'), { key: 'a/0001', extension: 'jpg' });
  assert.equal(sampleMemberOf('a/0001.seg.png'), { key: 'a/0001', extension: 'seg.png' });
  assert.equal(sampleMemberOf('a.d/0001'), { key: 'a.d/0001', extension: '' });
  assert.equal(sampleMemberOf('x/.hidden.txt'), { key: 'x/.hidden', extension: 'txt' });
  assert.equal(sampleMemberOf('top.json'), { key: 'top', extension: 'json' });
});

test.run();
