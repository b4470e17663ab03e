import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidInputError, InvalidNameError } from '../../../core/errors.ts';
import { MAX_AUDIT_PAGE, parseAuditQuery, type AuditQuery } from '../../../services/audit/audit-query.ts';
import { parseInstant } from '../../../services/audit/parse-instant.ts';

const test = suite('parseAuditQuery');

test('instants: dates are midnight UTC, offsets are applied, fractions cut at milliseconds', () => {
  const iso = (value: string) => parseInstant(value, 'since').toISOString();
  assert.is(iso('2024-05-01'), '2024-05-01T00:00:00.000Z');
  assert.is(iso('2024-05-01T12:30Z'), '2024-05-01T12:30:00.000Z');
  assert.is(iso('2024-05-01T12:30:45.1234567Z'), '2024-05-01T12:30:45.123Z');
  assert.is(iso('2024-05-01T01:30:00+02:00'), '2024-04-30T23:30:00.000Z');
  assert.is(iso('2024-12-31T23:00:00-01:30'), '2025-01-01T00:30:00.000Z');
  assert.is(iso('2024-02-29'), '2024-02-29T00:00:00.000Z');
  assert.is(iso('0099-01-01'), '0099-01-01T00:00:00.000Z');
});

test('instants: loose, impossible or zone-less values are refused', () => {
  for (const value of ['', '1', 'yesterday', 'May 1 2024', '2024-5-1', '2023-02-29', '2024-04-31', '2024-13-01', '2024-00-10',
    '2024-05-01T12:30', '2024-05-01T24:00Z', '2024-05-01T12:60Z', '2024-05-01T12:30:60Z', '2024-05-01T12:30+24:00', '2024-05-01T12:30+01:60', '2024-05-01 12:30Z']) {
    try {
      parseInstant(value, 'until');
      assert.unreachable(`accepted ${JSON.stringify(value)}`);
    } catch (error) {
      assert.instance(error, InvalidInputError, value);
      assert.is((error as InvalidInputError).data.field, 'until');
    }
  }
});

test('a full query', () => {
  const parsed = parseAuditQuery({ project: 'vision', actor: 'ada', action: 'branch.', outcome: 'denied', since: '2024-05-01', until: '2024-05-02', after: '42', limit: 10 });
  assert.equal(parsed, {
    filter: { project: 'vision', actorName: 'ada', action: 'branch.', outcome: 'denied', since: new Date('2024-05-01T00:00:00Z'), until: new Date('2024-05-02T00:00:00Z') },
    beforeSeq: 42,
    limit: 10,
  });
  const empty = parseAuditQuery({ project: null, actor: null, action: null, outcome: null, since: null, until: null, after: null, limit: MAX_AUDIT_PAGE });
  assert.equal(empty.filter, { project: undefined, actorName: undefined, action: undefined, outcome: undefined, since: undefined, until: undefined });
  assert.is(empty.beforeSeq, undefined);
});

test('bad fields are named', () => {
  const cases: [Partial<AuditQuery>, string][] = [
    [{ limit: 0 }, 'limit'],
    [{ limit: MAX_AUDIT_PAGE + 1 }, 'limit'],
    [{ limit: 1.5 }, 'limit'],
    [{ limit: NaN }, 'limit'],
    [{ since: 'yesterday' }, 'since'],
    [{ since: '2024-05-02', until: '2024-05-01' }, 'until'],
    [{ outcome: 'OK' }, 'outcome'],
    [{ actor: '' }, 'actor'],
    [{ action: 'x'.repeat(257) }, 'action'],
    [{ after: '0' }, 'after'],
    [{ after: '-1' }, 'after'],
    [{ after: '007' }, 'after'],
    [{ after: '1.5' }, 'after'],
    [{ after: '99999999999999999' }, 'after'],
    [{ after: 'abc' }, 'after'],
  ];
  for (const [query, field] of cases) {
    try {
      parseAuditQuery({ limit: 10, ...query });
      assert.unreachable(JSON.stringify(query));
    } catch (error) {
      assert.instance(error, InvalidInputError, JSON.stringify(query));
      assert.is((error as InvalidInputError).data.field, field, JSON.stringify(query));
    }
  }
  assert.throws(() => parseAuditQuery({ project: 'no such/name', limit: 10 }), (e: unknown) => e instanceof InvalidNameError);
});

test.run();
