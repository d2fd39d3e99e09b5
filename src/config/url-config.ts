// Resolving option values the way straxen's URLConfig does: plain values pass through, a
// string with '://' and a known protocol is parsed into a protocol chain, `plugin.X` and
// `config.X` references are filled in, and the chain is evaluated innermost first.
// The lineage keeps the (normalised) URL string; only plugins see the resolved value.

import { PyFloat, unwrapPy } from '../core/python/float.js';
import { getProtocol } from './protocols.js';
import type { UrlContext } from './url-context.js';
import type { PyValue } from '../core/python/literal.js';
import { toJsValue } from '../core/python/value.js';
import { isUrl, urlToAst, type Kwargs, type UrlNode } from './url-syntax.js';

const signature = (protocol: string) => getProtocol(protocol);

/** The protocol tree of a URL value, or the literal string when it is not a URL straxen dispatches. */
export function parseUrlConfig(url: string): string | UrlNode {
  return urlToAst(url, signature);
}

/** straxen's lookup_value: "plugin.NAME" / "config.NAME" → that value when it exists. */
function lookup(value: PyValue, ctx: UrlContext): PyValue {
  if (Array.isArray(value)) return value.map((v) => lookup(v, ctx));
  if (typeof value !== 'string' || !value.includes('.')) return value;
  const dot = value.indexOf('.');
  const scope = value.slice(0, dot),
    key = value.slice(dot + 1);
  let space: Readonly<Record<string, unknown>> | undefined;
  if (scope === 'plugin') space = { run_id: ctx.runId, ...(ctx.plugin ?? {}) };
  else if (scope === 'config') space = ctx.config;
  if (!space || !(key in space)) return value;
  return space[key] as PyValue;
}

function deref(node: UrlNode, ctx: UrlContext): UrlNode {
  const arg = typeof node.arg === 'string' ? lookup(node.arg, ctx) : deref(node.arg, ctx);
  const kwargs: Kwargs = {};
  for (const [k, v] of Object.entries(node.kwargs)) kwargs[k] = lookup(v, ctx);
  return { protocol: node.protocol, arg: arg as string | UrlNode, kwargs };
}

async function evaluate(node: UrlNode, ctx: UrlContext): Promise<unknown> {
  const protocol = getProtocol(node.protocol);
  if (!protocol) throw new Error(`unknown URL protocol '${node.protocol}://'`);
  const arg =
    typeof node.arg === 'object' && node.arg !== null && 'protocol' in node.arg
      ? await evaluate(node.arg, ctx)
      : toJsValue(node.arg as PyValue);
  const kwargs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node.kwargs)) kwargs[k] = protocol.rawKwargs ? v : toJsValue(v);
  return protocol.fn(arg, kwargs, ctx);
}

/**
 * The value a plugin sees for an option value: non-URL values unchanged (Python floats as
 * numbers), URLs evaluated. Errors name the URL and say what to fix.
 */
export async function resolveUrlConfig(value: unknown, ctx: UrlContext): Promise<unknown> {
  if (!isUrl(value)) return value instanceof PyFloat ? value.value : unwrapPy(value);
  const ast = parseUrlConfig(value);
  if (typeof ast === 'string') return ast;
  try {
    return await evaluate(deref(ast, ctx), ctx);
  } catch (e) {
    const msg = (e as Error).message;
    throw new Error(msg.includes(value) ? msg : `${msg} (while resolving '${value}')`);
  }
}

/** Settings shared by every option resolution of one context / run. */
export interface ResolverSettings {
  searchDirs: readonly string[];
  corrections?: UrlContext['corrections'];
  runStart?: bigint;
  onCorrection?: UrlContext['onCorrection'];
  runDoc?: UrlContext['runDoc'];
}

/** What the context knows when it resolves one plugin option. */
export interface OptionSite {
  runId: string;
  optionName?: string;
  /** The plugin's (unresolved) option values, which plugin.X / config.X refer to. */
  pluginConfig?: Readonly<Record<string, unknown>>;
  runStart?: bigint;
}

export type OptionResolver = (value: unknown, site: OptionSite) => Promise<unknown>;

/** A resolver for Context.setOptionResolver: the same settings for every option and run. */
export function createOptionResolver(settings: ResolverSettings): OptionResolver {
  return (value, site) =>
    resolveUrlConfig(value, {
      runId: site.runId,
      runStart: site.runStart ?? settings.runStart,
      searchDirs: settings.searchDirs,
      corrections: settings.corrections,
      plugin: site.pluginConfig,
      config: site.pluginConfig,
      onCorrection: settings.onCorrection,
      runDoc: settings.runDoc,
    });
}
