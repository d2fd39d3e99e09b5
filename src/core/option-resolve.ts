// The hook through which a higher layer (src/config) turns URL-style option values such as
// 'list-to-array://resource://x.json?fmt=json' or 'itp_map://...' into values for plugin.config.
// The lineage keeps the string; plugin.config gets the resolved value; plugin.resolvedOptions
// records it (savers may put it into metadata `extra`).

export interface ResolveAt {
  runId: string;
  /** Class name of the plugin taking the option. */
  plugin: string;
  /** The plugin's lineage data type (last provided). */
  dataType: string;
  option: string;
  /** The plugin's other option values (resolved ones so far included). */
  config: Readonly<Record<string, unknown>>;
}

export type OptionResolver = (url: string, at: ResolveAt) => unknown | Promise<unknown>;

/** Where worker threads can import the same resolver (an exported function). */
export interface ResolverSource {
  moduleUrl: string;
  exportName: string;
}
