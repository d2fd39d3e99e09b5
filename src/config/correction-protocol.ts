// corrections://NAME?attr=...&version=...&run_id=plugin.run_id&LABEL=... (and straxen's
// xedocs:// spelling of the same): the documents of correction NAME valid at the run's start
// that match the labels, as xedocs' URL protocol returns them — `sort` orders them by a
// field, `as_list=True` keeps all (else the first), `attr` takes one field of each.
// attr=map turns the document's map (a resource name or an inline map) into an interpolating map.

import type { CorrectionDoc } from './corrections.js';
import { parseTime } from './corrections.js';
import { DEFAULT_MAP_METHOD, InterpolatingMap } from './itp-map.js';
import type { UrlContext } from './url-context.js';
import { loadResource } from './resources.js';

const NOT_LABELS = new Set(['db', 'sort', 'attr', 'as_list', 'run_id', 'time', 'scale_coordinates']);

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a),
    y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function loadMap(doc: CorrectionDoc, ctx: UrlContext, scale: unknown): InterpolatingMap {
  const source = doc.map ?? doc.value;
  let data = source;
  if (typeof source === 'string') {
    const fmt = source.endsWith('.json.gz') ? 'json.gz' : 'json';
    data = loadResource(source, fmt, ctx.searchDirs);
  }
  const map = new InterpolatingMap(data, typeof doc.method === 'string' ? doc.method : DEFAULT_MAP_METHOD);
  if (typeof scale === 'number' || (Array.isArray(scale) && scale.every((x) => typeof x === 'number'))) {
    map.scaleCoordinates(scale as number | number[]);
  }
  return map;
}

export async function correctionLookup(
  schema: string,
  kw: Record<string, unknown>,
  ctx: UrlContext,
  runStart: bigint | undefined,
  proto: string,
): Promise<unknown> {
  const source = ctx.corrections;
  if (!source) {
    throw new Error(
      `${proto}${schema}: no corrections source is configured; give a corrections file (or the runs database), or set the option to a value`,
    );
  }
  const labels: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kw)) if (!NOT_LABELS.has(k)) labels[k] = v;
  const time = kw.time !== undefined && kw.time !== null ? parseTime(kw.time, `${proto}${schema}`) : runStart;
  let docs = [...(await source.find({ schema, time, labels }))];
  if (docs.length === 0) {
    const when =
      time === undefined
        ? `run ${ctx.runId} (start unknown: only corrections valid at all times can match)`
        : `the start of run ${ctx.runId} (${time} ns)`;
    throw new Error(
      `${proto}${schema}: ${source.description} has no document valid at ${when} with labels ${JSON.stringify(labels)}`,
    );
  }
  ctx.onCorrection?.({ source: source.description, schema, labels, time, docs });
  const sort = kw.sort;
  if (typeof sort === 'string') docs.sort((a, b) => compareValues(a[sort], b[sort]));
  else if (Array.isArray(sort))
    docs.sort((a, b) => sort.reduce((r: number, k) => r || compareValues(a[String(k)], b[String(k)]), 0));
  if (!kw.as_list) docs = docs.slice(0, 1);
  let values: unknown[] = docs;
  const attr = kw.attr;
  if (attr !== undefined && attr !== null) {
    values = docs.map((doc) => {
      if (
        attr === 'map' &&
        (typeof doc.map === 'string' ||
          typeof doc.map === 'object' ||
          (doc.map === undefined && typeof doc.value === 'string'))
      ) {
        return loadMap(doc, ctx, kw.scale_coordinates);
      }
      if (!(String(attr) in doc))
        throw new Error(
          `${proto}${schema}: documents have no field '${String(attr)}' (fields: ${Object.keys(doc).join(', ')})`,
        );
      return doc[String(attr)];
    });
  }
  return kw.as_list ? values : values[0];
}
