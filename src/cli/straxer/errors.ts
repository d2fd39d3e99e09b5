// A straxer job cannot start as asked (bad arguments, unknown run or target): the CLI prints
// the message as one line and exits 2.

export class StraxerUsageError extends Error {}

/** Processing stopped on a problem with stored data (corrupt, unreadable): exit 1, not 2. */
export class ProcessingFailed extends Error {}

/** Stopped by a signal: unfinished data was marked failed; exit 128 + the signal's number. */
export class StraxerStopped extends Error {
  readonly exitCode: number;
  constructor(signal: NodeJS.Signals, runId: string) {
    super(`stopped by ${signal}; the unfinished data of run ${runId} is marked failed`);
    this.exitCode = signal === 'SIGINT' ? 130 : 143;
  }
}
