/** One message as a broker delivered it, to be acknowledged once it is safely processed. */
export interface SourceMessage {
  readonly topic: string;
  readonly payload: Uint8Array;
  /** MQTT v5 user properties; a name sent more than once has all its values, in order. */
  readonly userProperties: Readonly<Record<string, string | readonly string[]>>;
  /** MQTT v5 content type, when the publisher set one. */
  readonly contentType: string | undefined;
  /** Whether the broker says it may have delivered this message before. */
  readonly redelivered: boolean;
  readonly receivedAt: Date;
  /**
   * Tells the broker the message is handled (PUBACK). Acknowledgements go out in the order the
   * messages arrived, as MQTT requires; one of a connection that has since dropped is not sent,
   * and the broker delivers that message again.
   */
  ack(): void;
}

/** How a source reports its connection. */
export type SourceConnection = { readonly state: 'connected' } | { readonly state: 'disconnected'; readonly reason: string };

export interface SourceHandlers {
  /**
   * Takes a message. The source delivers no further message until the returned promise
   * resolves, so a slow consumer holds the broker back rather than filling memory.
   */
  message(message: SourceMessage): Promise<void> | void;
  connection(change: SourceConnection): void;
}

/**
 * A durable subscription to a topic filter at a broker, under a stable client id: messages not
 * acknowledged when the process stops are delivered again when a source with the same client
 * id starts. Implemented with MQTT in adapters/mqtt/.
 */
export interface MessageSource {
  /** Connects (and reconnects until stopped) and subscribes. */
  start(handlers: SourceHandlers): void;
  /** Disconnects, keeping the session (and its unacknowledged messages) at the broker. */
  stop(): Promise<void>;
}

/** What a source is opened on. */
export interface SourceOptions {
  readonly broker: string;
  readonly topic: string;
  readonly clientId: string;
}

/** Opens sources and ends their sessions; the composition root passes the MQTT one. */
export interface MessageSources {
  open(options: SourceOptions): MessageSource;
  /** Ends the broker's session of `clientId`, dropping what it still holds (when a stream is deleted). */
  discardSession(options: Omit<SourceOptions, 'topic'>): Promise<void>;
}
