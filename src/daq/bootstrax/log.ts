// bootstrax's log: one line per event, with time, host and level, on stderr (an operator's
// terminal or journald). Every state change of a run is one line `run N: A -> B (why)`.

export type Level = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

export class BootstraxLog {
  constructor(
    private readonly host: string,
    private readonly out: NodeJS.WritableStream = process.stderr,
    private readonly debugOn = false,
  ) {}

  private line(level: Level, msg: string): void {
    this.out.write(`${new Date().toISOString()} bootstrax ${this.host} ${level} ${msg}\n`);
  }

  debug(msg: string): void {
    if (this.debugOn) this.line('DEBUG', msg);
  }
  info(msg: string): void {
    this.line('INFO', msg);
  }
  warning(msg: string): void {
    this.line('WARNING', msg);
  }
  error(msg: string): void {
    this.line('ERROR', msg);
  }

  stateChange(runId: string, from: string | null, to: string | null, why?: string): void {
    const first = why?.split('\n').find((l) => l.trim() !== '' && !l.endsWith(':'));
    this.info(`run ${runId}: ${from ?? 'new'} -> ${to ?? 'new'}${first ? ` (${first.trim()})` : ''}`);
  }
}
