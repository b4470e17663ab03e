import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ForbiddenError, NotFoundError } from '../../../core/errors.ts';
import { systemActor } from '../../../services/actor.ts';
import type { AuditEvent } from '../../../services/audit/audit-event.ts';
import { audited } from '../../../services/audit/audited.ts';

const test = suite('audited');

function recorder() {
  const events: AuditEvent[] = [];
  return { events, audit: { record: async (event: AuditEvent) => void events.push(event) } };
}
const event = { actor: systemActor('test'), action: 'thing.do', project: null, target: 'x', inputs: { a: 1 } };

test('records ok with the result after the work, and returns its value', async () => {
  const { events, audit } = recorder();
  let recordedBeforeWorkEnded = false;
  const value = await audited(audit, event, async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    recordedBeforeWorkEnded = events.length > 0;
    return 42;
  }, (n) => ({ n }));
  assert.is(value, 42);
  assert.not.ok(recordedBeforeWorkEnded);
  assert.equal(events, [{ ...event, outcome: 'ok', result: { n: 42 } }]);
});

test('records failed with the error code and rethrows; unexpected errors are INTERNAL', async () => {
  const { events, audit } = recorder();
  const missing = new NotFoundError('user', 'x');
  try {
    await audited(audit, event, async () => Promise.reject(missing));
    assert.unreachable();
  } catch (error) {
    assert.is(error, missing);
  }
  await audited(audit, event, async () => {
    throw new TypeError('boom');
  }).catch(() => {});
  assert.equal(events.map((e) => [e.outcome, e.errorCode]), [['failed', 'NOT_FOUND'], ['failed', 'INTERNAL']]);
});

test('a refusal is left to whoever refused, so it is recorded once', async () => {
  const { events, audit } = recorder();
  const refusal = new ForbiddenError('admin', 'the instance');
  const caught = await audited(audit, event, async () => Promise.reject(refusal)).catch((error: unknown) => error);
  assert.is(caught, refusal);
  assert.equal(events, []);
});

test.run();
