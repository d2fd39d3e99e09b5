// Errors the framework raises, each a one-line message naming the thing and the fix.

/** Base of errors that already say where they happened (passed on unchanged downstream). */
export class NamedError extends Error {}

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

/** An online source (e.g. the DAQReader) saw no new input for its input_timeout. */
export class InputTimeoutExceeded extends NamedError {
  constructor(
    readonly pluginName: string,
    readonly runId: string,
    readonly chunkI: number,
    readonly timeoutSeconds: number,
    waitingFor: string,
  ) {
    super(
      `${pluginName} gave up on run ${runId} after waiting ${timeoutSeconds} s (input_timeout) for ${waitingFor}: the source stopped delivering and never said it had ended`,
    );
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
