import { parseJsonObject, type JsonObject } from '../../core/canonical-json.ts';
import { CoreError } from '../../core/errors.ts';
import { parseItemPath, type ItemPath } from '../../core/item-path.ts';
import { MAX_META_BYTES } from '../../core/versioning/staged-changes.ts';
import type { SourceMessage } from './message-source.ts';
import type { PayloadKind } from './stream-config.ts';

/** What a good message becomes: an item's content, meta and media type, and its own path if it named one. */
export interface DecodedItem {
  readonly content: Uint8Array;
  readonly meta: JsonObject;
  readonly mediaType: string | null;
  /** The envelope's `path`, which replaces the stream's template. */
  readonly path: ItemPath | null;
}

/** A message that cannot become an item, and why (kept in the dead letters). */
export interface Undecodable {
  readonly reason: string;
}

export interface DecodeLimits {
  readonly maxMessageBytes: number;
  readonly maxBlobBytes: number;
}

const ENVELOPE_KEYS = new Set(['meta', 'payload', 'path', 'mediaType']);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(?:\s*;.*)?$/i;
const MAX_MEDIA_TYPE = 255;

/**
 * Turns a message into an item, or says why it cannot be one.
 *
 * - `raw`: the payload is the content; the MQTT v5 user properties are the meta (a name sent
 *   several times keeps all its values, as a list), the content type the media type.
 * - `json`: the payload is an envelope `{ "payload": "<base64>", "meta": {…}, "path": "…",
 *   "mediaType": "…" }`, only `payload` required; the envelope's meta is laid over the user
 *   properties.
 *
 * Refused: a message over `maxMessageBytes`, content over `maxBlobBytes`, an envelope that is
 * not such JSON (or not strict base64), meta over 64 KiB, an envelope path that is not a valid
 * item path.
 */
export function decodeMessage(message: Pick<SourceMessage, 'payload' | 'userProperties' | 'contentType'>, kind: PayloadKind, limits: DecodeLimits): DecodedItem | Undecodable {
  const size = message.payload.byteLength;
  if (size > limits.maxMessageBytes) return { reason: `the message has ${size} bytes, over the stream's limit of ${limits.maxMessageBytes}` };
  const properties = { ...message.userProperties } as JsonObject;
  if (kind === 'raw') return item(message.payload, properties, mediaTypeOf(message.contentType), null, limits);

  let envelope: unknown;
  try {
    envelope = JSON.parse(Buffer.from(message.payload.buffer, message.payload.byteOffset, size).toString('utf8'));
  } catch {
    return { reason: 'the payload is not JSON (the stream expects an envelope { "payload": "<base64>", "meta": {…} })' };
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) return { reason: 'the envelope is not a JSON object' };
  const fields = envelope as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !ENVELOPE_KEYS.has(key));
  if (unknown !== undefined) return { reason: `the envelope has an unknown key ${JSON.stringify(unknown.slice(0, 40))}` };
  if (typeof fields.payload !== 'string') return { reason: 'the envelope has no "payload" string' };
  if (!BASE64.test(fields.payload)) return { reason: 'the envelope payload is not base64' };
  if (fields.meta !== undefined && (typeof fields.meta !== 'object' || fields.meta === null || Array.isArray(fields.meta)))
    return { reason: 'the envelope meta is not a JSON object' };
  if (fields.path !== undefined && typeof fields.path !== 'string') return { reason: 'the envelope path is not a string' };
  if (fields.mediaType !== undefined && (typeof fields.mediaType !== 'string' || mediaTypeOf(fields.mediaType) === null))
    return { reason: 'the envelope mediaType is not a media type like image/jpeg' };
  let path: ItemPath | null = null;
  if (fields.path !== undefined) {
    try {
      path = parseItemPath(fields.path);
    } catch (error) {
      return { reason: `the envelope path is not a valid item path: ${(error as Error).message}` };
    }
  }
  const content = Buffer.from(fields.payload, 'base64');
  const meta = { ...properties, ...(fields.meta as JsonObject | undefined) };
  const mediaType = mediaTypeOf((fields.mediaType as string | undefined) ?? message.contentType);
  return item(content, meta, mediaType, path, limits);
}

/** Whether `decodeMessage` refused the message. */
export function isUndecodable(decoded: DecodedItem | Undecodable): decoded is Undecodable {
  return 'reason' in decoded;
}

function item(content: Uint8Array, meta: JsonObject, mediaType: string | null, path: ItemPath | null, limits: DecodeLimits): DecodedItem | Undecodable {
  if (content.byteLength > limits.maxBlobBytes) return { reason: `the content has ${content.byteLength} bytes, over the blob limit of ${limits.maxBlobBytes}` };
  try {
    return { content, meta: parseJsonObject(meta, 'meta', MAX_META_BYTES).value, mediaType, path };
  } catch (error) {
    if (error instanceof CoreError) return { reason: error.message };
    throw error;
  }
}

function mediaTypeOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  return trimmed.length <= MAX_MEDIA_TYPE && MEDIA_TYPE.test(trimmed) ? trimmed : null;
}
