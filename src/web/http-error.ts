// A request the server refuses: the status and a message that names the problem (and the limit).

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (msg: string): HttpError => new HttpError(400, msg);
export const notFound = (msg: string): HttpError => new HttpError(404, msg);
/** More data than the server's limits allow (load or return size). */
export const tooLarge = (msg: string): HttpError => new HttpError(413, msg);
