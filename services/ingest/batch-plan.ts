import { createHash } from 'node:crypto';
import { InvalidInputError } from '../../core/errors.ts';
import type { IngestItem } from './branch-writer.ts';
import { deadLetterOf } from './dead-letter-of.ts';
import { decodeMessage, isUndecodable, type DecodedItem, type DecodeLimits } from './decode-message.ts';
import { keeps, type KeepRule } from './keep-rule.ts';
import type { SourceMessage } from './message-source.ts';
import { hashValue, renderPath, seqValue, timestampValue, type PathTemplate, type Placeholder } from './path-template.ts';
import type { PayloadKind } from './stream-config.ts';
import type { DeadLetter, SeenMessage, TakenMessage } from './stream-store.ts';

/** How a stream turns messages into items. */
export interface BatchRules {
  readonly payload: PayloadKind;
  readonly limits: DecodeLimits;
  readonly template: PathTemplate;
  readonly keep: KeepRule | null;
  /** The stream's MQTT client id, for `{clientId}`. */
  readonly clientId: string;
}

/** What becomes of each message of a batch. */
export interface BatchPlan {
  /** Rows for the messages taken for the first time. */
  readonly taken: TakenMessage[];
  readonly deadLetters: Omit<DeadLetter, 'seq'>[];
  /** Items to stage: new ones, and those of messages taken before but never staged. */
  readonly items: (IngestItem & { readonly key: string })[];
  /** Messages taken before (or twice in this batch): nothing more to do. */
  readonly duplicates: number;
  /** Good messages the keep rule drops. */
  readonly dropped: number;
}

/**
 * Decides what becomes of each message of a batch, given which of their keys the stream has
 * seen. A message seen as `pending` (taken, then the process stopped before staging it) is
 * staged at its recorded path; one seen otherwise, or a second copy within the batch, is a
 * duplicate. A new one becomes an item at its envelope's path or the template's, a dead letter,
 * or is dropped by the keep rule. `allocateSeq(count)` is asked once, for the numbers of the new
 * items whose path uses `{seq}`.
 */
export async function planBatch(
  batch: readonly SourceMessage[],
  keys: readonly string[],
  seen: ReadonlyMap<string, SeenMessage>,
  rules: BatchRules,
  allocateSeq: (count: number) => Promise<number>,
): Promise<BatchPlan> {
  const plan = { taken: [] as TakenMessage[], deadLetters: [] as Omit<DeadLetter, 'seq'>[], items: [] as (IngestItem & { key: string })[], duplicates: 0, dropped: 0 };
  const fresh: { message: SourceMessage; key: string; decoded: DecodedItem | { reason: string } }[] = [];
  const inBatch = new Set<string>();
  batch.forEach((message, index) => {
    const key = keys[index]!;
    const before = seen.get(key);
    if (inBatch.has(key) || (before && before.state !== 'pending')) {
      plan.duplicates++;
      return;
    }
    inBatch.add(key);
    const decoded = decodeMessage(message, rules.payload, rules.limits);
    if (!before) fresh.push({ message, key, decoded });
    // Decoded the same way as the first time, unless the blob limit has shrunk since.
    else if (isUndecodable(decoded) || before.path === null) plan.duplicates++;
    else plan.items.push({ key, ...itemOf(decoded, before.path as IngestItem['path']) });
  });

  const kept = (d: DecodedItem) => rules.keep === null || keeps(rules.keep, d.meta);
  const usesSeq = rules.template.parts.some((p) => typeof p !== 'string' && p.name === 'seq');
  const numbered = usesSeq ? fresh.filter(({ decoded }) => !isUndecodable(decoded) && decoded.path === null && kept(decoded)).length : 0;
  let seq = numbered > 0 ? await allocateSeq(numbered) : 0;
  for (const { message, key, decoded } of fresh) {
    const { receivedAt } = message;
    if (isUndecodable(decoded)) {
      plan.deadLetters.push(deadLetterOf(message, decoded.reason));
      plan.taken.push({ key, state: 'dead', path: null, receivedAt });
      continue;
    }
    if (!kept(decoded)) {
      plan.dropped++;
      plan.taken.push({ key, state: 'dropped', path: null, receivedAt });
      continue;
    }
    const hash = sha256(decoded.content);
    const number = decoded.path === null && usesSeq ? seq++ : 0;
    let path: IngestItem['path'];
    try {
      path = decoded.path ?? renderPath(rules.template, (p) => placeholderValue(p, message, hash, number, rules.clientId));
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      plan.deadLetters.push(deadLetterOf(message, `the path template gives no valid path: ${error.message}`));
      plan.taken.push({ key, state: 'dead', path: null, receivedAt });
      continue;
    }
    plan.items.push({ key, path, content: decoded.content, hash, meta: decoded.meta, mediaType: decoded.mediaType });
    plan.taken.push({ key, state: 'pending', path, receivedAt });
  }
  return plan;
}

function itemOf(decoded: DecodedItem, path: IngestItem['path']): IngestItem {
  return { path, content: decoded.content, hash: sha256(decoded.content), meta: decoded.meta, mediaType: decoded.mediaType };
}

function placeholderValue(p: Placeholder, message: SourceMessage, hash: string, seq: number, clientId: string): string {
  switch (p.name) {
    case 'topic':
      return message.topic;
    case 'timestamp':
      return timestampValue(message.receivedAt);
    case 'hash':
      return hashValue(hash, p);
    case 'seq':
      return seqValue(seq);
    default:
      return clientId;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
