import { execFileSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalJson } from '../../core/canonical-json.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { sha256Hex, StreamingSha256 } from '../../core/hash.ts';
import type { CommitId, SnapshotHash } from '../../core/ids.ts';
import { EMPTY_SNAPSHOT } from '../../core/prolly/node-codec.ts';
import { makeCommit } from '../../core/versioning/commit-codec.ts';
import { makeItem, memoryTree } from '../helpers/tree-fixtures.ts';

const test = suite('hashing and canonical encodings');

/** Runs Python as an independent implementation of docs/hashing.md. */
function python(script: string, input: unknown): unknown {
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(input) }).toString());
}

// Python's json with sorted keys and compact separators matches JCS for the values used here.
const PY_CANON = `
import sys, json, hashlib
def canon(v): return json.dumps(v, sort_keys=True, separators=(',', ':'), ensure_ascii=False)
`;

test('blob hashes are plain sha256 of the bytes', () => {
  assert.is(sha256Hex('hello\n'), '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03');
  assert.is(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  const streaming = new StreamingSha256();
  streaming.update(Buffer.from('hel'));
  streaming.update(Buffer.from('lo\n'));
  assert.is(streaming.digestHex(), sha256Hex('hello\n'));
  assert.is(streaming.size, 6);
});

test('canonical JSON sorts keys, normalizes numbers, and rejects what JSON cannot hold', () => {
  assert.is(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 1.0, y: -0 } }), '{"a":[true,null,"x"],"b":1,"c":{"y":0,"z":1}}');
  assert.is(canonicalJson(1e21), '1e+21');
  assert.is(canonicalJson(0.1 + 0.2), '0.30000000000000004');
  assert.is(canonicalJson('é\n"'), '"é\\n\\""');
  assert.is(canonicalJson({ '\u00e9': 1, e: 2, E: 3 }), '{"E":3,"e":2,"é":1}');
  for (const bad of [Number.NaN, Infinity, undefined, () => 1, new Date(0), '\ud800', { x: [Symbol('s')] }, new Map()])
    assert.throws(() => canonicalJson(bad), (e: unknown) => e instanceof InvalidInputError);
  let deep: unknown = 1;
  for (let i = 0; i < 100; i++) deep = [deep];
  assert.throws(() => canonicalJson(deep), (e: unknown) => e instanceof InvalidInputError);
});

test('node hashes match an independent implementation of the spec', async () => {
  const fromPython = python(`${PY_CANON}
print(json.dumps(hashlib.sha256(b"sheaf.node.v1\\n" + canon({"entries": [], "level": 0}).encode()).hexdigest()))`, null);
  assert.is(EMPTY_SNAPSHOT, fromPython);

  // A small snapshot fits in one leaf: its hash is computable from the items alone.
  const items = ['b/2.png', 'a/1.jpg', 'c/é.txt'].map((p, i) => makeItem(p, i));
  const tree = memoryTree();
  const root = await tree.build(items);
  const expected = python(`${PY_CANON}
items = sorted(json.load(sys.stdin), key=lambda i: i["path"].encode())
node = {"entries": [[i["path"], i["blob"], i["size"], i["meta"], i["annotations"]] for i in items], "level": 0}
print(json.dumps(hashlib.sha256(b"sheaf.node.v1\\n" + canon(node).encode()).hexdigest()))`, items);
  assert.is(root, expected);
});

test('commit ids match an independent implementation of the spec', () => {
  const commit = makeCommit(
    {
      snapshot: EMPTY_SNAPSHOT as SnapshotHash,
      parents: ['a'.repeat(64) as CommitId],
      author: 'ada@example.com',
      message: 'first\nline two',
      time: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
      meta: { run: 7 },
    },
    [4],
  );
  assert.is(commit.time, '2026-01-02T03:04:05.678Z');
  assert.is(commit.generation, 5);
  const expected = python(`${PY_CANON}
c = json.load(sys.stdin)
body = {k: c[k] for k in ["author", "message", "meta", "parents", "snapshot", "time"]}
print(json.dumps(hashlib.sha256(b"sheaf.commit.v1\\n" + canon(body).encode()).hexdigest()))`, commit);
  assert.is(commit.id, expected);
});

test('a multi-level tree matches an independent implementation of the chunking rule, and a pinned hash', async () => {
  const items = Array.from({ length: 8000 }, (_, i) => makeItem(`fixture/${String(i).padStart(5, '0')}.bin`, i % 4));
  const tree = memoryTree();
  const root = await tree.build(items);
  assert.ok((await tree.reader.get(root)).level >= 2, 'the fixture spans several levels');
  const expected = python(`${PY_CANON}
def h(data): return hashlib.sha256(data).hexdigest()
def chunk(level, entries):  # entries: (key, encoded, count, bytes)
    nodes, cur, S = [], [], 0
    for e in entries:
        s = len(e[1].encode()); S += s; cur.append(e)
        digest = hashlib.sha256(bytes([level]) + e[0].encode()).digest()
        if S >= 8192 or (S >= 256 and int.from_bytes(digest[:4], 'big') < 2**32 * s / 1792):
            nodes.append(cur); cur, S = [], 0
    if cur: nodes.append(cur)
    out = []
    for n in nodes:
        node_hash = h(b"sheaf.node.v1\\n" + ('{"entries":[' + ','.join(e[1] for e in n) + '],"level":%d}' % level).encode())
        key, count, size = n[-1][0], sum(e[2] for e in n), sum(e[3] for e in n)
        out.append((key, canon([key, node_hash, count, size]), count, size, node_hash))
    return out
items = sorted(json.load(sys.stdin), key=lambda i: i["path"].encode())
level, entries = 0, [(i["path"], canon([i["path"], i["blob"], i["size"], i["meta"], i["annotations"]]), 1, i["size"]) for i in items]
while True:
    refs = chunk(level, entries)
    if len(refs) == 1: break
    level, entries = level + 1, [r[:4] for r in refs]
print(json.dumps(refs[0][4]))`, items);
  assert.is(root, expected);
  assert.is(root, 'feda7ba897a78566db28963cfbbf77a6208f85a118f309382b2bc82efd13c284');
});

test.run();
