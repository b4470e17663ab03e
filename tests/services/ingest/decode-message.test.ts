import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeMessage, isUndecodable, type DecodedItem } from '../../../services/ingest/decode-message.ts';

const test = suite('decoding messages');
const LIMITS = { maxMessageBytes: 1024, maxBlobBytes: 512 };

const message = (payload: string | Uint8Array, userProperties: Record<string, string | string[]> = {}, contentType?: string) => ({
  payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
  userProperties,
  contentType,
});
const envelope = (value: unknown) => message(JSON.stringify(value));
const reasonOf = (decoded: ReturnType<typeof decodeMessage>) => (isUndecodable(decoded) ? decoded.reason : null);

test('raw: the payload is the content, user properties the meta, the content type the media type', () => {
  const decoded = decodeMessage(message(new Uint8Array([0xff, 0xd8, 0xff]), { camera: '7', tag: ['a', 'b'] }, 'image/jpeg'), 'raw', LIMITS) as DecodedItem;
  assert.equal([...decoded.content], [0xff, 0xd8, 0xff]);
  assert.equal(decoded.meta, { camera: '7', tag: ['a', 'b'] });
  assert.is(decoded.mediaType, 'image/jpeg');
  assert.is(decoded.path, null);
  assert.is((decodeMessage(message('x', {}, 'not a type'), 'raw', LIMITS) as DecodedItem).mediaType, null, 'a bad content type is ignored');
});

test('json: the envelope payload is base64, its meta laid over the user properties, its path and media type taken', () => {
  const decoded = decodeMessage(
    { ...envelope({ payload: Buffer.from('hello').toString('base64'), meta: { confidence: 0.3, site: 'b' }, path: 'x/y.txt', mediaType: 'text/plain' }), userProperties: { site: 'a', cam: '1' } },
    'json',
    LIMITS,
  ) as DecodedItem;
  assert.is(Buffer.from(decoded.content).toString(), 'hello');
  assert.equal(decoded.meta, { site: 'b', cam: '1', confidence: 0.3 });
  assert.is(decoded.path, 'x/y.txt');
  assert.is(decoded.mediaType, 'text/plain');
});

test('malformed envelopes are refused with a reason', () => {
  const cases: [ReturnType<typeof message>, RegExp][] = [
    [message('{not json'), /not JSON/],
    [envelope([1, 2]), /not a JSON object/],
    [envelope({ meta: {} }), /no "payload" string/],
    [envelope({ payload: 'aGVsbG8' }), /not base64/],
    [envelope({ payload: 'aGVs bG8=' }), /not base64/],
    [envelope({ payload: 'aGVsbG8=', meta: [1] }), /meta is not a JSON object/],
    [envelope({ payload: 'aGVsbG8=', path: '../x' }), /path is not a valid item path/],
    [envelope({ payload: 'aGVsbG8=', path: 5 }), /path is not a string/],
    [envelope({ payload: 'aGVsbG8=', extra: 1 }), /unknown key "extra"/],
    [envelope({ payload: 'aGVsbG8=', mediaType: 'jpeg' }), /mediaType is not a media type/],
  ];
  for (const [input, reason] of cases) assert.match(reasonOf(decodeMessage(input, 'json', LIMITS)) ?? 'decoded', reason);
});

test('size limits: the message, then the decoded content', () => {
  assert.match(reasonOf(decodeMessage(message(new Uint8Array(1025)), 'raw', LIMITS))!, /1025 bytes, over the stream's limit of 1024/);
  assert.match(reasonOf(decodeMessage(message(new Uint8Array(600)), 'raw', LIMITS))!, /over the blob limit of 512/);
  assert.match(reasonOf(decodeMessage(envelope({ payload: Buffer.alloc(600).toString('base64') }), 'json', { maxMessageBytes: 2000, maxBlobBytes: 512 }))!, /over the blob limit/);
});

test('meta over 64 KiB is refused', () => {
  const big = envelope({ payload: '', meta: { text: 'x'.repeat(70_000) } });
  assert.match(reasonOf(decodeMessage(big, 'json', { maxMessageBytes: 1e6, maxBlobBytes: 1e6 }))!, /meta/);
});

test.run();
