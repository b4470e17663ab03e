import { createHash } from 'node:crypto';
import { canonicalJson } from '../../core/canonical-json.ts';
import type { SourceMessage } from './message-source.ts';

/**
 * What makes two deliveries the same message: its topic, user properties, content type and
 * payload, hashed. MQTT has no message id that survives the hop to the subscriber (packet ids
 * are per connection and reused), so a message the broker delivers again, or a device publishes
 * twice, is recognized by its content. Two messages alike in all of these are one item.
 */
export function messageKey(message: Pick<SourceMessage, 'topic' | 'userProperties' | 'contentType' | 'payload'>): string {
  const header = canonicalJson({ topic: message.topic, properties: message.userProperties, contentType: message.contentType ?? null });
  return createHash('sha256').update(header).update('\n').update(message.payload).digest('hex');
}
