import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidInputError } from '../../core/errors.ts';
import { HttpError } from './http-error.ts';

/**
 * The request body's chunks, pulled as the consumer asks, each reported to `onChunk` first.
 * A consumer that stops early (an upload refused at its size limit) leaves the request open,
 * where a plain `for await` over the request would destroy it, and with it the socket, before
 * the refusal could be answered.
 */
export async function* bodyChunks(
  req: IncomingMessage,
  onChunk?: (byteLength: number) => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    onChunk?.(chunk.byteLength);
    yield chunk;
  }
}

/**
 * The declared `Content-Length`, or undefined without one. Parsed here because koa's
 * `ctx.request.length` truncates to 32 bits, which would let a 5 GB upload pass a size check.
 */
export function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

/**
 * Reads and parses a JSON request body of at most `maxBytes`.
 * @throws HttpError(413) when the body is or declares itself larger, InvalidInputError('body')
 * when it is not JSON.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const tooLarge = () => new HttpError(413, `request body exceeds ${maxBytes} bytes`);
  if ((declaredLength(req) ?? 0) > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of bodyChunks(req)) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new InvalidInputError('body', 'is not valid JSON');
  }
}

/** Bounds on reading a refused request's body after the response, see `discardUnreadBody`. */
export interface DiscardLimits {
  /** Bytes to read and drop before giving up. */
  readonly maxBytes: number;
  /** Time to keep reading before giving up. */
  readonly maxMs: number;
}

export const DEFAULT_DISCARD_LIMITS: DiscardLimits = { maxBytes: 4 * 1024 * 1024, maxMs: 2000 };

/**
 * Call before reading a body that may be refused part-way. When the response finishes while
 * the body is still arriving, reads and drops the rest, within `limits`, then closes the
 * connection if the body still has not ended. Closing at once would make the kernel answer the
 * unread bytes with a TCP reset, which can destroy the response before the client reads it;
 * reading until the end would let a client occupy the server with a body already refused. A
 * body that ends within the limits leaves the connection usable for the next request.
 */
export function discardUnreadBody(
  req: IncomingMessage,
  res: ServerResponse,
  limits: DiscardLimits = DEFAULT_DISCARD_LIMITS,
): void {
  res.once('finish', () => {
    if (req.complete || req.destroyed) return;
    let dropped = 0;
    const stop = () => {
      clearTimeout(timer);
      req.off('data', onData);
    };
    const giveUp = () => {
      stop();
      req.socket.destroy();
    };
    const onData = (chunk: Buffer) => {
      dropped += chunk.byteLength;
      if (dropped > limits.maxBytes) giveUp();
    };
    const timer = setTimeout(giveUp, limits.maxMs);
    req.once('end', stop);
    req.once('close', stop);
    // Node pulls an unread body off the wire by itself (without handing us the bytes), but only
    // for bodies nobody started reading; the time limit covers that case too.
    req.on('data', onData);
    req.resume();
  });
}
