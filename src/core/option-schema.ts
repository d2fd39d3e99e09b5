// Typed plugin options. A plugin declares its options once, as a schema:
//
//   const OPTIONS = defineOptions({
//     peaklet_gap_threshold: int(700, 'Gap between hits [ns] that ends a peaklet ...'),
//     gain_model: any<Float64Array>(required, 'Per-channel gain ...'),
//   });
//   export class Peaklets extends Plugin<typeof OPTIONS> {
//     override readonly options = OPTIONS;
//     ... this.cfg.peaklet_gap_threshold   // number, checked by the compiler
//
// The schema is the same OptionSpec list the context has always read (names, defaults, types,
// tracking, help), so defaulting, type checks and the lineage are unchanged; only the reading
// side gains types. Defaults are given exactly as the lineage wants them (pyFloat(40.0) for a
// Python float in an untyped option, URL strings for values looked up at run time).

/** Python type of an option's value: decides how numbers enter the lineage (28 vs 28.0). */
export type OptionType = 'int' | 'float' | 'number' | 'bool' | 'str' | 'list' | 'dict' | 'any';

export interface OptionSpec {
  name: string;
  /** Default value. Numbers in a 'float' option are floats; elsewhere wrap floats in pyFloat(). */
  default?: unknown;
  defaultFactory?: () => unknown;
  /** Checked when set (wrong type → error). URL strings ('x://...') are checked after resolving. */
  type?: OptionType;
  /** Smallest and largest value a number option may take (checked when set, like the type). */
  min?: number;
  max?: number;
  /** Tracked options enter the lineage (and so the hash). Default true. */
  track?: boolean;
  help?: string;
  /** Child plugins (childPlugin = true): this option replaces parentOptionName's value. */
  childOption?: boolean;
  parentOptionName?: string;
}

declare const VALUES: unique symbol;

/** An option list that also carries the type of the values it configures (cfg). */
export type OptionList<V extends Readonly<Record<string, unknown>> = Record<string, unknown>> =
  readonly OptionSpec[] & {
    readonly [VALUES]?: V;
  };

/** The values a plugin reads as this.cfg for its option list. */
export type OptionValues<L> = L extends OptionList<infer V> ? Readonly<V> : Readonly<Record<string, unknown>>;

/** One option without its name; T is the type of the configured (resolved) value. */
export interface OptionDef<T> {
  readonly spec: Omit<OptionSpec, 'name'>;
  /** Type only (never set): carries T. */
  readonly valueType?: (v: T) => T;
}

/** Marks an option without a default: the context refuses to run until it is set. */
export const required: unique symbol = Symbol('required option');

/** What else an option can say: untracked (not in the lineage), a default computed when
 * needed, or, in a child plugin, which parent option it replaces. */
export interface OptionExtras {
  track?: boolean;
  min?: number;
  max?: number;
  defaultFactory?: () => unknown;
  childOption?: boolean;
  parentOptionName?: string;
}

function option<T>(
  type: OptionType | undefined,
  dflt: unknown,
  help: string,
  extras: OptionExtras,
): OptionDef<T> {
  const spec: Omit<OptionSpec, 'name'> = {
    ...(dflt === required || extras.defaultFactory ? {} : { default: dflt }),
    ...(type ? { type } : {}),
    help,
    ...extras,
  };
  return { spec };
}

/** An integer (Python int in the lineage). */
export const int = <T = number>(
  dflt: unknown,
  help: string,
  extras: OptionExtras = {},
): OptionDef<NoInfer<T>> => option<T>('int', dflt, help, extras);
/** A float: every number of it enters the lineage as a Python float. */
export const float = <T = number>(
  dflt: unknown,
  help: string,
  extras: OptionExtras = {},
): OptionDef<NoInfer<T>> => option<T>('float', dflt, help, extras);
/** An int or a float, entered into the lineage as given. */
export const num = <T = number>(
  dflt: unknown,
  help: string,
  extras: OptionExtras = {},
): OptionDef<NoInfer<T>> => option<T>('number', dflt, help, extras);
export const bool = <T = boolean>(
  dflt: unknown,
  help: string,
  extras: OptionExtras = {},
): OptionDef<NoInfer<T>> => option<T>('bool', dflt, help, extras);
export const str = <T = string>(
  dflt: unknown,
  help: string,
  extras: OptionExtras = {},
): OptionDef<NoInfer<T>> => option<T>('str', dflt, help, extras);
export const list = <T = readonly unknown[]>(
  dflt: unknown,
  help: string,
  extras: OptionExtras = {},
): OptionDef<NoInfer<T>> => option<T>('list', dflt, help, extras);
export const dict = <T = Readonly<Record<string, unknown>>>(
  dflt: unknown,
  help: string,
  extras: OptionExtras = {},
): OptionDef<NoInfer<T>> => option<T>('dict', dflt, help, extras);
/** A value of any type: typically a URL config whose resolved value is T. */
export const any = <T>(dflt: unknown, help: string, extras: OptionExtras = {}): OptionDef<NoInfer<T>> =>
  option<T>('any', dflt, help, extras);

// The builders' return types say NoInfer: T must come from the builder's own default (number for
// int, ...) or its explicit argument, never from the schema's contextual type.
type ValuesOf<S> = { [K in keyof S]: S[K] extends OptionDef<infer T> ? T : never };

/** The option list of a schema, in the schema's order. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any T: OptionDef is invariant in T
export function defineOptions<S extends Record<string, OptionDef<any>>>(schema: S): OptionList<ValuesOf<S>> {
  return Object.entries(schema).map(([name, d]) => ({ name, ...d.spec }));
}
