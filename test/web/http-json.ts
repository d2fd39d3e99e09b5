// HTTP for the microstrax tests: GET with the status and body, and JSON with integers beyond
// 2^53 (ns times) kept exact as bigint.

import { request, type Agent } from 'node:http';

export interface Answer {
  status: number;
  type: string;
  text: string;
}

/** GET (or `method`) of url; its path is sent as written (no client-side '..' resolution). */
export function get(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
  agent?: Agent,
): Promise<Answer> {
  const m = /^http:\/\/([^/:]+|\[[^\]]+\]):(\d+)(\/.*)$/.exec(url);
  if (!m) throw new Error(`not a http://host:port/path URL: ${url}`);
  const [, host, port, path] = m;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: host!.replace(/^\[|\]$/g, ''),
        port: Number(port),
        path,
        method,
        headers,
        ...(agent ? { agent } : {}),
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (b: Buffer) => parts.push(b));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(parts).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

type Json = null | boolean | number | bigint | string | Json[] | { [k: string]: Json };

/** JSON.parse, but integer literals of 16 or more digits become bigint. */
export function parseExact(text: string): Json {
  const marked = text.replace(/([:[,])(-?\d{16,})(?=[,\]}])/g, '$1"~int64~$2"');
  return JSON.parse(marked, (_k, v: Json) =>
    typeof v === 'string' && v.startsWith('~int64~') ? BigInt(v.slice(7)) : v,
  ) as Json;
}

export type Row = Record<string, Json>;

export async function getRows(url: string): Promise<Row[]> {
  const a = await get(url);
  if (a.status !== 200) throw new Error(`${url}: ${a.status} ${a.text}`);
  return parseExact(a.text) as Row[];
}
