/**
 * A failure of the HTTP exchange itself (a body too large to read, an unsupported encoding),
 * which no core error describes. It has the shape of koa's own http-errors (`status`,
 * `expose: true`), so `httpStatusOf` and `errorBody` answer it with its status and message.
 * Only for 4xx statuses: the message is shown to the client.
 */
export class HttpError extends Error {
  readonly expose = true;
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
