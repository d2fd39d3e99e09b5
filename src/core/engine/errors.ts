// Errors the framework raises, each a one-line message naming the thing and the fix.

/** Base of errors that already say where they happened (passed on unchanged downstream). */
export class NamedError extends Error {}

/** Data is neither stored nor allowed to be made. */
export class DataNotAvailable extends NamedError {}

/** A plugin failed while computing: names the plugin, run and chunk. */
export class PluginError extends NamedError {
  constructor(
    readonly pluginName: string,
    readonly runId: string,
    readonly chunkI: number | null,
    readonly reason: unknown,
  ) {
    const where = chunkI === null ? '' : `, chunk ${chunkI}`;
    super(`${pluginName} failed on run ${runId}${where}: ${messageOf(reason)}`);
  }
}

/** Another process is writing data this one was about to write. `waitUntilWritten` resolves
 * when that writer is done (then plan again: the data may be stored now); null when it cannot
 * be waited for (a writer on another host that stopped refreshing its lock). */
export class DataBeingWritten extends NamedError {
  constructor(
    message: string,
    readonly waitUntilWritten: (() => Promise<void>) | null,
  ) {
    super(message);
  }
}

/** Stored data could not be read. */
export class LoadError extends NamedError {
  constructor(
    readonly dataType: string,
    readonly runId: string,
    readonly reason: unknown,
  ) {
    super(`loading ${dataType} of run ${runId} failed: ${messageOf(reason)}`);
  }
}

/** Processing stopped because the consumer stopped reading (savers record this). */
export class ProcessingInterrupted extends NamedError {}

export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
