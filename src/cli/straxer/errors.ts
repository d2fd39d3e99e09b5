// A straxer job cannot start as asked (bad arguments, unknown run or target): the CLI prints
// the message as one line and exits 2.

export class StraxerUsageError extends Error {}

/** Processing stopped on a problem with stored data (corrupt, unreadable): exit 1, not 2. */
export class ProcessingFailed extends Error {}
