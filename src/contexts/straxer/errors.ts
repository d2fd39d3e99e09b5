// A straxer job cannot start as asked (bad arguments, unknown run or target): the CLI prints
// the message as one line and exits 2.

export class StraxerUsageError extends Error {}
