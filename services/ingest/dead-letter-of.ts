import { createHash } from 'node:crypto';
import type { SourceMessage } from './message-source.ts';
import type { DeadLetter } from './stream-store.ts';

/** Bytes of a dead letter's payload kept (as hex) to recognize it; the payload itself is not stored. */
export const DEAD_LETTER_HEAD_BYTES = 32;

/** The dead letter of a message that cannot become an item. */
export function deadLetterOf(message: Pick<SourceMessage, 'topic' | 'payload' | 'receivedAt'>, reason: string): Omit<DeadLetter, 'seq'> {
  const payload = Buffer.from(message.payload.buffer, message.payload.byteOffset, message.payload.byteLength);
  return {
    receivedAt: message.receivedAt,
    topic: message.topic,
    reason,
    payloadSha256: createHash('sha256').update(payload).digest('hex'),
    payloadSize: payload.byteLength,
    headHex: payload.subarray(0, DEAD_LETTER_HEAD_BYTES).toString('hex'),
  };
}
