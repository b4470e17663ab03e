import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import type { MessageSource, MessageSources, SourceHandlers, SourceMessage, SourceOptions } from '../../services/ingest/message-source.ts';

export interface MqttSourcesOptions {
  /**
   * Unacknowledged messages the broker may send at once (MQTT 5 Receive Maximum). Messages are
   * processed in batches and acknowledged when a batch is durable, so this bounds the batch.
   */
  readonly receiveMaximum?: number | undefined;
  /** How long the broker keeps a disconnected stream's session and queued messages. */
  readonly sessionExpirySeconds?: number | undefined;
  readonly reconnectMs?: number | undefined;
  readonly connectTimeoutMs?: number | undefined;
}

const DEFAULTS = { receiveMaximum: 1000, sessionExpirySeconds: 7 * 24 * 3600, reconnectMs: 2000, connectTimeoutMs: 10_000 };

/**
 * Handed to mqtt.js's `handleMessage` callback so it sends no PUBACK itself (see MqttSource);
 * the pump then goes on to the next packet at once.
 */
const ACK_LATER = new Error('acknowledged once processed');

/**
 * Message sources on MQTT 5 brokers, with mqtt.js: a persistent session (clean start off, a
 * session expiry) under the stream's stable client id, subscribed at QoS 1, so the broker keeps
 * what was not acknowledged while the stream is down and delivers it again.
 */
export class MqttSources implements MessageSources {
  private readonly options: typeof DEFAULTS;

  constructor(options: MqttSourcesOptions = {}) {
    this.options = {
      receiveMaximum: options.receiveMaximum ?? DEFAULTS.receiveMaximum,
      sessionExpirySeconds: options.sessionExpirySeconds ?? DEFAULTS.sessionExpirySeconds,
      reconnectMs: options.reconnectMs ?? DEFAULTS.reconnectMs,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    };
  }

  open(options: SourceOptions): MessageSource {
    return new MqttSource(options, this.options);
  }

  /**
   * Connects once with a clean start and a session expiry of zero, which makes the broker drop
   * the session and its queued messages, then disconnects. An unreachable broker is given up
   * on after the connect timeout: it ends sessions of its own accord when they expire.
   */
  async discardSession(options: Omit<SourceOptions, 'topic'>): Promise<void> {
    const client = connect(options.broker, {
      clientId: options.clientId,
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: this.options.connectTimeoutMs,
      properties: { sessionExpiryInterval: 0 },
    });
    client.on('error', () => {});
    await new Promise<void>((resolve) => {
      client.once('connect', () => resolve());
      client.once('close', () => resolve());
    });
    await client.endAsync(true).catch(() => {});
  }
}

/**
 * One persistent subscription. mqtt.js acknowledges a QoS 1 message when `handleMessage` calls
 * back, and reads no further packet until then, so acknowledging after processing one message
 * at a time would allow one message per round trip to the database. Instead each message is
 * handed on at once, and its PUBACK is sent when the consumer calls `ack`: in arrival order (as
 * MQTT requires), and only on the connection that delivered it (after a reconnect the broker
 * delivers unacknowledged messages again). Backpressure still holds: `handleMessage` calls back
 * only when the consumer's `message` resolves.
 */
class MqttSource implements MessageSource {
  private client: MqttClient | null = null;
  /** Counts connections; a message acknowledges only on the one that delivered it. */
  private connection = 0;
  private unacked: { messageId: number; acked: boolean }[] = [];
  private subscribed = false;

  constructor(
    private readonly source: SourceOptions,
    private readonly options: typeof DEFAULTS,
  ) {}

  start(handlers: SourceHandlers): void {
    const clientOptions: IClientOptions = {
      clientId: this.source.clientId,
      protocolVersion: 5,
      clean: false,
      reconnectPeriod: this.options.reconnectMs,
      connectTimeout: this.options.connectTimeoutMs,
      properties: { sessionExpiryInterval: this.options.sessionExpirySeconds, receiveMaximum: this.options.receiveMaximum },
      manualConnect: true,
    };
    const client = connect(this.source.broker, clientOptions);
    this.client = client;
    let lastError = 'connecting';
    client.handleMessage = (packet, callback) => {
      const message = this.messageOf(packet);
      Promise.resolve()
        .then(() => handlers.message(message))
        .then(
          () => callback(ACK_LATER),
          () => callback(ACK_LATER),
        );
    };
    client.on('connect', () => {
      this.connection++;
      this.unacked = [];
      lastError = 'disconnected';
      handlers.connection({ state: 'connected' });
      if (this.subscribed) return;
      // Later connections keep the subscription: the broker has it in the session, and mqtt.js
      // subscribes again if the broker lost the session.
      client.subscribe(this.source.topic, { qos: 1 }, (error, granted) => {
        const refused = error ?? (granted?.some((g) => g.qos > 2) ? new Error('the broker refused the subscription') : null);
        if (refused) handlers.connection({ state: 'disconnected', reason: `subscribe: ${refused.message}` });
        else this.subscribed = true;
      });
    });
    client.on('error', (error) => {
      lastError = error.message || String(error);
    });
    client.on('close', () => handlers.connection({ state: 'disconnected', reason: lastError }));
    client.connect();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    // mqtt.js finishes a connection under way after end() and then holds the session, taking it
    // over from the next source with this client id: let the attempt settle first.
    if (!client.connected)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.options.connectTimeoutMs);
        client.once('connect', done).once('close', done);
        function done() {
          clearTimeout(timer);
          resolve();
        }
      });
    // A normal DISCONNECT: the session (with its session expiry) stays at the broker.
    await client.endAsync().catch(() => client.endAsync(true));
  }

  private messageOf(packet: IPublishPacket): SourceMessage {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const properties = packet.properties ?? {};
    let ack = () => {};
    if (packet.qos > 0 && packet.messageId !== undefined) {
      const entry = { messageId: packet.messageId, acked: false };
      const connection = this.connection;
      this.unacked.push(entry);
      ack = () => {
        if (connection !== this.connection) return;
        entry.acked = true;
        this.flushAcks();
      };
    }
    return {
      topic: packet.topic,
      payload,
      // mqtt-packet builds it without a prototype; a plain copy compares and serializes as JSON does.
      userProperties: { ...properties.userProperties } as SourceMessage['userProperties'],
      contentType: properties.contentType,
      redelivered: packet.dup,
      receivedAt: new Date(),
      ack,
    };
  }

  /** Sends the PUBACKs of the acknowledged messages at the head of the arrival order. */
  private flushAcks(): void {
    const client = this.client;
    while (this.unacked[0]?.acked) {
      const { messageId } = this.unacked.shift()!;
      // mqtt.js has no public call for an acknowledgement of its own; this is the one its QoS 1
      // handler makes, without the offline queue (a PUBACK belongs to its connection).
      if (client?.connected) client['_sendPacket']({ cmd: 'puback', messageId, reasonCode: 0 }, undefined, undefined, true);
    }
  }
}
