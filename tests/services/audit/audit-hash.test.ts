import { execFileSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GENESIS_HASH, type ChainedAuditEntry } from '../../../services/audit/audit-entry.ts';
import { auditEntryHash } from '../../../services/audit/audit-hash.ts';
import { digestOf } from '../../../services/audit/digest.ts';

const test = suite('auditEntryHash');

// An independent implementation: Python's json.dumps with sorted keys and no spaces is RFC 8785
// for ASCII-only values without floats, which is all these fixtures hold.
const PYTHON_HASH = `
import hashlib, json, sys
entry = json.loads(sys.stdin.read())
body = json.dumps(entry, sort_keys=True, separators=(",", ":"))
print(hashlib.sha256(("sheaf.audit.v1\\n" + body).encode()).hexdigest())
`;
const PYTHON_DIGEST = `
import hashlib, json, sys
values = json.loads(sys.stdin.read())
print(hashlib.sha256(json.dumps(values, sort_keys=True, separators=(",", ":")).encode()).hexdigest())
`;
const python = (program: string, input: unknown) => execFileSync('python3', ['-c', program], { input: JSON.stringify(input) }).toString().trim();

const entry: ChainedAuditEntry = {
  seq: 17,
  at: new Date('2024-05-01T12:30:45.120Z'),
  actorId: 'u-1',
  actorName: 'ada',
  credential: 'token:t-1',
  action: 'branch.commit',
  project: 'vision',
  target: 'images@main',
  inputs: '{"message":"a \\"quoted\\"\\nline","paths":{"count":3,"sha256":"ab"}}',
  outcome: 'ok',
  errorCode: null,
  result: '{"commit":"cd"}',
  prevHash: 'ef'.repeat(32),
};
const asPythonSees = (e: ChainedAuditEntry) => ({ ...e, at: e.at.toISOString() });

test('matches an independent computation, nulls and milliseconds included', () => {
  assert.is(asPythonSees(entry).at, '2024-05-01T12:30:45.120Z');
  assert.is(auditEntryHash(entry), python(PYTHON_HASH, asPythonSees(entry)));
  const bare: ChainedAuditEntry = { ...entry, seq: 1, actorId: null, project: null, target: null, outcome: 'denied', errorCode: 'FORBIDDEN', result: null, prevHash: GENESIS_HASH };
  assert.is(auditEntryHash(bare), python(PYTHON_HASH, asPythonSees(bare)));
});

test('every field counts', () => {
  const base = auditEntryHash(entry);
  const changes: Partial<ChainedAuditEntry>[] = [
    { seq: 18 },
    { at: new Date(entry.at.getTime() + 1) },
    { actorId: null },
    { actorName: 'bob' },
    { credential: 'session:s-1' },
    { action: 'branch.merge' },
    { project: null },
    { target: 'images@dev' },
    { inputs: '{}' },
    { outcome: 'failed' },
    { errorCode: 'REF_CONFLICT' },
    { result: null },
    { result: 'null' },
    { prevHash: GENESIS_HASH },
  ];
  const hashes = changes.map((change) => auditEntryHash({ ...entry, ...change }));
  assert.is(new Set([base, ...hashes]).size, changes.length + 1);
});

test('digestOf counts the values and hashes their canonical JSON', () => {
  const values = [{ path: 'a/b.png', blob: '00'.repeat(32) }, 'x', 3, null];
  assert.equal(digestOf(values), { count: 4, sha256: python(PYTHON_DIGEST, values) });
  assert.equal(digestOf([]), { count: 0, sha256: python(PYTHON_DIGEST, []) });
});

test.run();
