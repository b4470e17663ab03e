import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AlreadyExistsError,
  BlobHashMismatchError,
  BlobTooLargeError,
  CorruptObjectError,
  ForbiddenError,
  InvalidHashError,
  InvalidInputError,
  InvalidNameError,
  InvalidPathError,
  MergeConflictError,
  NoMergeBaseError,
  NothingToCommitError,
  NotFoundError,
  RateLimitedError,
  RefConflictError,
  UnauthenticatedError,
} from '../../../core/errors.ts';
import { errorBody, errorHeaders, httpCodeOf, httpStatusOf } from '../../../server/http/error-status.ts';
import { HttpError } from '../../../server/http/http-error.ts';

const test = suite('error-status');
const HASH = 'ab'.repeat(32);

test('maps every core error to its status', () => {
  const cases: [unknown, number][] = [
    [new BlobTooLargeError(10), 413],
    [new BlobHashMismatchError(HASH, HASH), 422],
    [new InvalidHashError('hash', 'x'), 400],
    [new InvalidPathError('a//b', 'has an empty segment'), 400],
    [new InvalidNameError('dataset', '..', 'is bad'), 400],
    [new InvalidInputError('limit', 'must be positive'), 400],
    [new NotFoundError('blob', HASH), 404],
    [new AlreadyExistsError('dataset', 'cats'), 409],
    [new RefConflictError('main', HASH, null), 409],
    [new MergeConflictError([]), 409],
    [new NothingToCommitError('main'), 409],
    [new NoMergeBaseError(HASH, HASH), 409],
    [new CorruptObjectError('blob', HASH, HASH), 500],
    [new UnauthenticatedError('token expired'), 401],
    [new ForbiddenError('dataset.write', 'project default'), 403],
    [new RateLimitedError(7), 429],
    [new HttpError(413, 'too big'), 413],
    [Object.assign(new Error('not allowed'), { status: 405, expose: true }), 405],
    [Object.assign(new Error('db down'), { status: 503, expose: true }), 500],
    [Object.assign(new Error('hidden'), { status: 400, expose: false }), 500],
    [new Error('boom'), 500],
    ['a string', 500],
    [null, 500],
  ];
  for (const [error, status] of cases) assert.is(httpStatusOf(error), status, String((error as Error)?.name ?? error));
});

test('core errors show code, message and data; anything unexpected is masked', () => {
  assert.equal(errorBody(new NotFoundError('blob', HASH)), {
    error: { code: 'NOT_FOUND', message: `blob not found: ${HASH}`, data: { kind: 'blob', id: HASH } },
  });
  assert.equal(errorBody(new HttpError(413, 'request body exceeds 10 bytes')), {
    error: { code: 'PAYLOAD_TOO_LARGE', message: 'request body exceeds 10 bytes' },
  });
  const masked = { error: { code: 'INTERNAL', message: 'internal error' } };
  assert.equal(errorBody(new Error('password authentication failed for user "sheaf"')), masked);
  assert.equal(errorBody(Object.assign(new Error('upstream'), { status: 502, expose: true })), masked);
  assert.equal(errorBody(undefined), masked);
});

test('access failures show their code and data, like every core error', () => {
  assert.equal(errorBody(new ForbiddenError('dataset.write', 'project default')), {
    error: {
      code: 'FORBIDDEN',
      message: 'forbidden: dataset.write on project default',
      data: { permission: 'dataset.write', resource: 'project default' },
    },
  });
  assert.equal(errorBody(new RateLimitedError(7)), {
    error: { code: 'RATE_LIMITED', message: 'too many requests: retry in 7 s', data: { retryAfterSeconds: 7 } },
  });
  assert.is(errorBody(new UnauthenticatedError('token expired')).error.code, 'UNAUTHENTICATED');
});

test('errorHeaders: Retry-After for a rate limit, a challenge for 401, nothing otherwise', () => {
  assert.equal(errorHeaders(new RateLimitedError(7)), { 'Retry-After': '7' });
  assert.equal(errorHeaders(new UnauthenticatedError('no credential')), { 'WWW-Authenticate': 'Bearer realm="sheaf"' });
  for (const error of [new ForbiddenError('x', 'y'), new NotFoundError('blob', HASH), new Error('boom'), null])
    assert.equal(errorHeaders(error), {});
});

test('httpCodeOf names statuses like the core names its codes', () => {
  assert.is(httpCodeOf(413), 'PAYLOAD_TOO_LARGE');
  assert.is(httpCodeOf(416), 'RANGE_NOT_SATISFIABLE');
  assert.is(httpCodeOf(418), 'I_M_A_TEAPOT');
  assert.is(httpCodeOf(499), 'HTTP_499');
});

test.run();
