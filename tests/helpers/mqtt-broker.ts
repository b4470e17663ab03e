import { randomBytes } from 'node:crypto';
import { connectAsync, type IClientPublishOptions, type MqttClient } from 'mqtt';

/** The broker the stream tests use (Mosquitto, here and in CI); TEST_MQTT_URL to change. */
export const testBrokerUrl = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

/** A topic prefix of its own, so test files sharing the broker never see each other's messages. */
export function uniqueTopic(label: string): string {
  return `sheaf-test/${label}/${randomBytes(6).toString('hex')}`;
}

/** An MQTT 5 publisher on the test broker. */
export async function publisher(): Promise<MqttClient & { send(topic: string, payload: string | Uint8Array, options?: IClientPublishOptions): Promise<void> }> {
  const client = await connectAsync(testBrokerUrl, { protocolVersion: 5, clientId: `sheaf-test-pub-${randomBytes(6).toString('hex')}` });
  return Object.assign(client, {
    async send(topic: string, payload: string | Uint8Array, options: IClientPublishOptions = {}) {
      await client.publishAsync(topic, Buffer.from(payload), { qos: 1, ...options });
    },
  });
}
