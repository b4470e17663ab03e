import { InvalidInputError, InvalidNameError } from '../../core/errors.ts';
import { parseBranchName, parseDatasetName } from '../../core/ids.ts';
import { parseKeepRule } from './keep-rule.ts';
import { parsePathTemplate, type PlaceholderSet } from './path-template.ts';

/** How a message's payload becomes an item: see decode-message.ts. */
export type PayloadKind = 'raw' | 'json';
export const PAYLOAD_KINDS: readonly PayloadKind[] = ['raw', 'json'];

/** What a stream does, fixed when it is created. */
export interface StreamConfig {
  /** `mqtt://host[:port]` or `mqtts://host[:port]`. */
  readonly broker: string;
  /** An MQTT topic filter, e.g. `cams/+/frames`. */
  readonly topic: string;
  readonly dataset: string;
  readonly branch: string;
  /** Item path template; see STREAM_PLACEHOLDERS. */
  readonly path: string;
  readonly payload: PayloadKind;
  /** Commit once this many items are staged… */
  readonly every: number;
  /** …or once the oldest staged item is this old, whichever comes first. */
  readonly seconds: number;
  /** Keep only items whose meta passes this rule (keep-rule.ts); null keeps everything. */
  readonly keep: string | null;
  /** Messages larger than this go to the dead letters. */
  readonly maxMessageBytes: number;
}

/** A stream's configuration as clients send it; absent fields take the defaults. */
export interface StreamConfigInput {
  readonly broker: string;
  readonly topic: string;
  readonly dataset: string;
  readonly branch: string;
  readonly path?: string | null | undefined;
  readonly payload?: string | null | undefined;
  readonly every?: number | null | undefined;
  readonly seconds?: number | null | undefined;
  readonly keep?: string | null | undefined;
  readonly maxMessageBytes?: number | null | undefined;
}

export const DEFAULT_STREAM_PATH = '{topic}/{timestamp}-{hash:16}';
export const DEFAULT_EVERY = 1000;
export const DEFAULT_SECONDS = 10;
export const MAX_EVERY = 50_000;
export const MAX_SECONDS = 24 * 3600;
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** MQTT's own limit on a packet: 256 MiB. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

const SAMPLE_TIME = '2024-01-01T000000.000Z';

/**
 * The placeholders of a stream's path template: `{topic}` (the message's topic, whose levels
 * become folders), `{timestamp}` (first receipt, UTC ISO without ':'), `{hash}` or `{hash:N}`
 * (sha256 of the item's content), `{seq}` (the stream's message counter, zero-padded) and
 * `{clientId}` (the stream's MQTT client id).
 */
export const STREAM_PLACEHOLDERS: PlaceholderSet = {
  has: (name) => ['topic', 'timestamp', 'hash', 'seq', 'clientId'].includes(name),
  sample: (p) =>
    p.name === 'topic' ? 'cams/1/frames' : p.name === 'timestamp' ? SAMPLE_TIME : p.name === 'hash' ? 'a'.repeat(p.length ?? 64) : p.name === 'seq' ? '000000000001' : 'sheaf-stream',
};

/**
 * Validates a stream's configuration and fills in defaults.
 * @throws InvalidInputError (broker, topic, payload, every, seconds, max message bytes),
 * InvalidNameError (dataset, branch), PathTemplateError, KeepRuleError
 */
export function parseStreamConfig(input: StreamConfigInput, limits: { maxBlobBytes: number }): StreamConfig {
  const payload = input.payload ?? 'raw';
  if (!PAYLOAD_KINDS.includes(payload as PayloadKind)) throw new InvalidInputError('payload', `must be one of ${PAYLOAD_KINDS.join(', ')}`);
  const path = input.path ?? DEFAULT_STREAM_PATH;
  parsePathTemplate(path, STREAM_PLACEHOLDERS);
  const keep = input.keep ?? null;
  if (keep !== null) parseKeepRule(keep);
  const maxMessageBytes = input.maxMessageBytes ?? Math.min(DEFAULT_MAX_MESSAGE_BYTES, limits.maxBlobBytes);
  return {
    broker: parseBrokerUrl(input.broker),
    topic: parseTopicFilter(input.topic),
    dataset: parseDatasetName(input.dataset),
    branch: parseBranchName(input.branch),
    path,
    payload: payload as PayloadKind,
    every: integerIn('every', input.every ?? DEFAULT_EVERY, 1, MAX_EVERY),
    seconds: integerIn('seconds', input.seconds ?? DEFAULT_SECONDS, 1, MAX_SECONDS),
    keep,
    maxMessageBytes: integerIn('max message bytes', maxMessageBytes, 1, Math.min(MAX_MESSAGE_BYTES, limits.maxBlobBytes)),
  };
}

/**
 * `mqtt://` or `mqtts://` with a host and optional port, nothing else. Credentials in the URL
 * are refused: the URL is shown to everyone who may read the project.
 * @throws InvalidInputError('broker')
 */
export function parseBrokerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidInputError('broker', 'must be a URL like mqtt://host:1883');
  }
  if (url.protocol !== 'mqtt:' && url.protocol !== 'mqtts:') throw new InvalidInputError('broker', 'must start with mqtt:// or mqtts://');
  if (!url.hostname) throw new InvalidInputError('broker', 'has no host');
  if (url.username || url.password) throw new InvalidInputError('broker', 'must not contain credentials: it is shown to every reader of the project');
  if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) throw new InvalidInputError('broker', 'must be only mqtt[s]://host[:port]');
  return `${url.protocol}//${url.host.toLowerCase()}`;
}

/**
 * An MQTT topic filter: 1 to 65,535 bytes, no NUL, `+` alone in its level, `#` alone in the
 * last level (MQTT 5.0 §4.7).
 * @throws InvalidInputError('topic')
 */
export function parseTopicFilter(value: string): string {
  if (typeof value !== 'string' || value === '') throw new InvalidInputError('topic', 'is empty');
  if (Buffer.byteLength(value) > 65_535 || value.includes('\u0000')) throw new InvalidInputError('topic', 'is longer than 65,535 bytes or contains NUL');
  const levels = value.split('/');
  levels.forEach((level, index) => {
    if (level.includes('#') && (level !== '#' || index !== levels.length - 1)) throw new InvalidInputError('topic', '"#" must be the whole last level');
    if (level.includes('+') && level !== '+') throw new InvalidInputError('topic', '"+" must be a whole level');
  });
  return value;
}

const STREAM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * A stream's name inside its project: 1 to 64 letters, digits, '.', '_' and '-', starting with
 * a letter or digit.
 * @throws InvalidNameError
 */
export function parseStreamName(value: unknown): string {
  if (typeof value !== 'string' || !STREAM_NAME.test(value) || value.endsWith('.'))
    throw new InvalidNameError('stream', value, "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
  return value;
}

function integerIn(field: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new InvalidInputError(field, `must be an integer from ${min} to ${max}`);
  return value;
}
