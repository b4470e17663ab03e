import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidInputError, InvalidNameError } from '../../../core/errors.ts';
import { parseAssignments, parseRole } from '../../../services/identity/member-input.ts';

const test = suite('member input');

test('roles', () => {
  for (const role of ['owner', 'maintainer', 'labeler', 'viewer', 'auditor']) assert.is(parseRole(role), role);
  for (const bad of ['Owner', 'admin', '', null]) assert.throws(() => parseRole(bad), (e: unknown) => e instanceof InvalidInputError && e.data.field === 'role');
});

test('labeler branches: "dataset@branch", valid names, deduplicated and sorted; none for other roles', () => {
  assert.equal(parseAssignments('labeler', ['b@main', 'a@feature/x', 'b@main']), ['a@feature/x', 'b@main']);
  assert.equal(parseAssignments('labeler', undefined), []);
  assert.equal(parseAssignments('viewer', []), []);
  assert.equal(parseAssignments('viewer', null), []);
  const invalidInput = (e: unknown) => e instanceof InvalidInputError && e.data.field === 'branches';
  assert.throws(() => parseAssignments('viewer', ['a@main']), invalidInput);
  assert.throws(() => parseAssignments('labeler', ['main']), invalidInput);
  assert.throws(() => parseAssignments('labeler', [3]), invalidInput);
  assert.throws(() => parseAssignments('labeler', 'a@main'), invalidInput);
  for (const bad of ['a@', '@main', 'a b@main', 'a@main/', 'a@x@y'])
    assert.throws(() => parseAssignments('labeler', [bad]), (e: unknown) => e instanceof InvalidNameError, bad);
});

test.run();
