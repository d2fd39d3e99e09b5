// The microstrax HTTP server (node:http): straxen's /get_data, the routes the viewer needs
// (/runs, /run/RUN/types), /healthz, /metrics and the viewer's files. Every refusal is a 4xx with
// {"error": "..."}; a 5xx only means the server itself failed.

import { timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StorageError, DataNotAvailable } from '../storage/errors.js';
import { jsonRows } from '../storage/text-export.js';
import type { Records } from '../core/records.js';
import { getData, parseGetData, type Limits } from './get-data.js';
import { HttpError, badRequest, notFound } from './http-error.js';
import { ServerMetrics } from './metrics.js';
import { QueryParams, normaliseRunId } from './query.js';
import type { StaticFile } from './static-files.js';
import type { StoredData } from './stored-data.js';

export interface MicrostraxOptions {
  data: StoredData;
  limits: Limits;
  /** Bearer token required on data routes and /metrics (not on /healthz and the page files). */
  token?: string;
  /** Data requests answered at once; more wait (default 2). */
  maxActive?: number;
  /** Data requests allowed to wait; beyond that → 429 (default 64). */
  maxWaiting?: number;
  files?: Map<string, StaticFile>;
  /** An answer the client has not taken any of for this long is dropped, so a client that stops
   * reading cannot hold a loading slot (default 30 s). */
  idleTimeoutMs?: number;
  /** Server failures (5xx) are reported here (default stderr). */
  log?: (line: string) => void;
}

const MAX_URL_LENGTH = 4096;
/** The page loads only its own scripts; uPlot and the SVG figures set inline styles. */
const PAGE_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

/** A bounded queue: at most `active` tasks run, at most `waiting` wait. */
class Gate {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly active: number,
    private readonly waiting: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.active) {
      if (this.queue.length >= this.waiting)
        throw new HttpError(
          429,
          `server busy: ${this.running} data requests running and ${this.queue.length} waiting; retry shortly`,
        );
      await new Promise<void>((go) => this.queue.push(go));
    } else this.running++;
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }
}

interface Reply {
  status: number;
  bytes: number;
}

export class MicrostraxServer {
  readonly metrics = new ServerMetrics();
  readonly http: Server;
  private readonly gate: Gate;
  private readonly started = Date.now();
  private readonly log: (line: string) => void;

  constructor(private readonly o: MicrostraxOptions) {
    this.gate = new Gate(o.maxActive ?? 2, o.maxWaiting ?? 64);
    this.log = o.log ?? ((l) => process.stderr.write(`${l}\n`));
    this.http = createServer((req, res) => void this.handle(req, res));
    this.http.requestTimeout = 60_000;
    this.http.headersTimeout = 20_000;
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    this.http.listen(port, host);
    await once(this.http, 'listening');
    return this.http.address() as AddressInfo;
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>((done) => this.http.close(() => done()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = process.hrtime.bigint();
    this.metrics.inFlight++;
    let route = 'unknown';
    let reply: Reply;
    try {
      const { path, query } = splitUrl(req.url ?? '/');
      route = routeOf(path);
      if (req.method !== 'GET' && req.method !== 'HEAD')
        throw new HttpError(405, `method ${req.method} not allowed: microstrax only answers GET`);
      reply = await this.dispatch(route, path, query, req, res);
    } catch (e) {
      reply = this.sendError(res, e, route);
    } finally {
      this.metrics.inFlight--;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    this.metrics.record(route, reply.status, seconds, reply.bytes);
  }

  private async dispatch(
    route: string,
    path: string,
    query: URLSearchParams,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<Reply> {
    if (route === 'static') return this.staticFile(res, path);
    if (route === 'not_found')
      throw notFound(`no route ${path}: try /get_data, /runs, /run/RUN/types, /healthz, /metrics or /`);
    if (route === 'healthz') {
      new QueryParams(query, []);
      return this.health(res);
    }
    this.authorise(req);
    if (route === 'get_data') {
      const request = parseGetData(query);
      return this.gate.run(async () =>
        streamRows(res, await getData(this.o.data, request, this.o.limits), this.o.idleTimeoutMs ?? 30_000),
      );
    }
    new QueryParams(query, []); // the other routes take no parameters
    if (route === 'metrics')
      return send(res, 200, 'text/plain; version=0.0.4; charset=utf-8', Buffer.from(this.metrics.text()));
    if (route === 'runs') return this.gate.run(() => this.runs(res));
    const runId = normaliseRunId(safeDecode(path.split('/')[2]!));
    return this.gate.run(() => this.runTypes(res, runId));
  }

  private health(res: ServerResponse): Reply {
    return sendJson(res, 200, {
      status: 'ok',
      context: this.o.data.sc.name,
      uptime_s: Math.round((Date.now() - this.started) / 1000),
    });
  }

  private staticFile(res: ServerResponse, path: string): Reply {
    const f = this.o.files?.get(path);
    if (!f) throw notFound(`no page or file at ${path}`);
    const page = path === '/';
    return send(res, 200, f.contentType, f.body, {
      'Cache-Control': 'no-cache',
      ...(page ? { 'Content-Security-Policy': PAGE_POLICY } : {}),
    });
  }

  private async runs(res: ServerResponse): Promise<Reply> {
    const runs = [];
    for (const run_id of await this.o.data.runIds()) {
      const types = (await this.o.data.typesOf(run_id)).map((t) => t.data_type);
      if (types.length) runs.push({ run_id, types });
    }
    return sendJson(res, 200, runs);
  }

  private async runTypes(res: ServerResponse, runId: string): Promise<Reply> {
    const types = await this.o.data.typesOf(runId);
    if (!types.length) throw notFound(`nothing of run ${runId} is stored (see /runs)`);
    const md = await this.o.data.locate(runId, types[0]!.data_type);
    const start = await this.o.data.runStart(runId, md);
    // run_start in ns as an exact integer (JSON.stringify cannot write a bigint).
    const body = `{"run_id":${JSON.stringify(runId)},"run_start":${start},"types":${JSON.stringify(types)}}`;
    return sendText(res, 200, body);
  }

  private authorise(req: IncomingMessage): void {
    const token = this.o.token;
    if (token === undefined) return;
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b))
      throw new HttpError(401, 'this server needs a token: send the header "Authorization: Bearer TOKEN"');
  }

  private sendError(res: ServerResponse, e: unknown, route: string): Reply {
    let status: number;
    let message: string;
    if (e instanceof HttpError) [status, message] = [e.status, e.message];
    else if (e instanceof DataNotAvailable) [status, message] = [404, e.message];
    else {
      status = 500;
      message =
        e instanceof StorageError ? e.message : `internal error: ${(e as Error)?.message ?? String(e)}`;
      this.log(`microstrax: ${route}: ${(e as Error)?.stack ?? String(e)}`);
    }
    if (res.headersSent) {
      // The answer was under way: cut it, so the client sees an incomplete response, not bad JSON.
      res.destroy();
      return { status, bytes: 0 };
    }
    return sendJson(res, status, { error: message });
  }
}

function splitUrl(url: string): { path: string; query: URLSearchParams } {
  if (url.length > MAX_URL_LENGTH)
    throw new HttpError(414, `URL is ${url.length} characters long; the limit is ${MAX_URL_LENGTH}`);
  if (!url.startsWith('/')) throw badRequest('request target must be a path starting with /');
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  let query: URLSearchParams;
  try {
    query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  } catch {
    throw badRequest('the query string cannot be read');
  }
  return { path, query };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw badRequest(`cannot decode '${s.slice(0, 60)}' in the path`);
  }
}

function routeOf(path: string): string {
  if (path === '/get_data') return 'get_data';
  if (path === '/runs') return 'runs';
  if (path === '/healthz') return 'healthz';
  if (path === '/metrics') return 'metrics';
  if (/^\/run\/[^/]+\/types$/.test(path)) return 'run_types';
  if (path === '/' || /^\/(viewer\.(js|css)|vendor\/[\w.-]+|js\/[\w/.-]+)$/.test(path)) return 'static';
  return 'not_found';
}

const JSON_TYPE = 'application/json; charset=utf-8';

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Reply {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': body.length,
    'X-Content-Type-Options': 'nosniff',
    ...(headers['Cache-Control'] ? {} : { 'Cache-Control': 'no-store' }),
    ...headers,
  });
  res.end(body);
  return { status, bytes: body.length };
}

function sendText(res: ServerResponse, status: number, text: string): Reply {
  return send(res, status, JSON_TYPE, Buffer.from(text));
}

function sendJson(res: ServerResponse, status: number, value: unknown): Reply {
  return sendText(res, status, JSON.stringify(value));
}

/** A JSON array of rows, written in pieces as the socket takes them; dropped when the client
 * takes nothing for idleMs. */
async function streamRows(res: ServerResponse, rows: Records, idleMs: number): Promise<Reply> {
  res.writeHead(200, {
    'Content-Type': JSON_TYPE,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  let bytes = 0;
  let piece = '[';
  let first = true;
  const flush = async (): Promise<void> => {
    const b = Buffer.from(piece);
    piece = '';
    bytes += b.length;
    if (res.write(b) || res.destroyed) return;
    await new Promise<void>((go) => {
      const done = (): void => {
        clearTimeout(timer);
        res.off('drain', done);
        res.off('close', done);
        go();
      };
      const timer = setTimeout(() => {
        res.destroy();
        done();
      }, idleMs);
      res.on('drain', done);
      res.on('close', done);
    });
  };
  for (const row of jsonRows(rows)) {
    if (res.destroyed) break;
    piece += first ? row : `,${row}`;
    first = false;
    if (piece.length >= 1 << 16) await flush();
  }
  if (!res.destroyed) {
    piece += ']';
    await flush();
    res.end();
  }
  return { status: 200, bytes };
}
