// What straxer tells the user: log lines (straxen's format), a progress bar with rate and ETA
// on a terminal or plain periodic lines otherwise, and the closing summary.

import type { Writable } from 'node:stream';
import type { ProgressInfo } from '../../core/context/context.js';

export interface StraxerIo {
  /** Log lines (straxen logs to stdout). */
  out: Writable & { isTTY?: boolean };
  /** The progress bar (a terminal only). */
  err: Writable & { isTTY?: boolean };
}

function stamp(d = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`;
}

export class StraxerLog {
  constructor(
    private readonly io: StraxerIo,
    private readonly debugOn: boolean,
    private readonly bar: ProgressBar | null = null,
  ) {}

  private line(level: string, msg: string): void {
    this.bar?.clear();
    this.io.out.write(`${stamp()} - straxer - ${level} - ${msg}\n`);
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
  debug(msg: string): void {
    if (this.debugOn) this.line('DEBUG', msg);
  }

  withBar(bar: ProgressBar | null): StraxerLog {
    return new StraxerLog(this.io, this.debugOn, bar);
  }
}

const fmtS = (s: number): string =>
  s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 90 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`;
export const rssMb = (): number => process.memoryUsage().rss / 1e6;
/** Peak resident memory of this process so far (MB). */
export const peakRssMb = (): number => process.resourceUsage().maxRSS / 1e3;

/** One line redrawn in place on a terminal. */
export class ProgressBar {
  private shown = false;
  constructor(private readonly err: Writable) {}

  draw(text: string): void {
    this.err.write(`\r\x1b[2K${text}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.err.write('\r\x1b[2K');
    this.shown = false;
  }
}

export interface RunSpan {
  /** Run length in seconds, when known. */
  duration: number | null;
  /** Uncompressed raw_records bytes of the run, when known. */
  rawBytes: number | null;
  /** The stored input the processing reads (e.g. raw_records): its name and chunk start times. */
  input?: { dataType: string; chunkStarts: readonly bigint[] } | null;
}

/** Turns the context's progress callbacks into a bar (TTY) or periodic log lines. */
export class ProgressReporter {
  private lastLine = 0;
  private last: ProgressInfo | null = null;
  lastChunkAt = Date.now();

  constructor(
    private readonly log: StraxerLog,
    private readonly bar: ProgressBar | null,
    private readonly span: RunSpan,
    private readonly every = 5,
  ) {}

  /** The input chunk being processed: the last one starting before the last output ended. */
  private inputPart(p: ProgressInfo): string {
    const input = this.span.input;
    if (!input || input.chunkStarts.length === 0)
      return `${p.target}: ${p.chunks} output chunk${p.chunks === 1 ? '' : 's'}`;
    const at = Math.max(1, input.chunkStarts.filter((t) => t < p.end).length);
    return `${input.dataType} chunk ${at} of ${input.chunkStarts.length}`;
  }

  describe(p: ProgressInfo): string {
    const parts = [this.inputPart(p)];
    if (p.fraction !== null) {
      const width = 24;
      const fill = Math.round(p.fraction * width);
      parts.unshift(
        `[${'#'.repeat(fill)}${' '.repeat(width - fill)}] ${(100 * p.fraction).toFixed(0).padStart(3)}%`,
      );
      if (this.span.duration && p.seconds > 0) {
        parts.push(`${((p.fraction * this.span.duration) / p.seconds).toFixed(2)} run s/s`);
        if (this.span.rawBytes)
          parts.push(`${((p.fraction * this.span.rawBytes) / 1e6 / p.seconds).toFixed(1)} MB/s raw`);
      }
      if (p.fraction > 0 && p.fraction < 1)
        parts.push(`ETA ${fmtS((p.seconds * (1 - p.fraction)) / p.fraction)}`);
    } else if (p.seconds > 0) {
      parts.push(`${(p.bytes / 1e6 / p.seconds).toFixed(1)} MB/s out`);
    }
    parts.push(`${rssMb().toFixed(0)} MB RAM`, fmtS(p.seconds));
    return parts.join(', ');
  }

  update = (p: ProgressInfo): void => {
    this.last = p;
    this.lastChunkAt = Date.now();
    this.log.debug(`${p.target} chunk ${p.chunks} ends at ${p.end} ns (${p.bytes} bytes so far)`);
    if (this.bar) {
      this.bar.draw(this.describe(p));
      return;
    }
    if (Date.now() - this.lastLine >= this.every * 1000) {
      this.lastLine = Date.now();
      this.log.info(this.describe(p));
    }
  };

  finish(target: string, seconds: number): void {
    this.bar?.clear();
    if (!this.bar && this.last && this.lastLine > 0) this.log.info(this.describe(this.last));
    this.log.info(`${target} finished! Took ${seconds.toFixed(1)} s`);
  }
}

export interface SummaryRow {
  dataType: string;
  rows: number | null;
  chunks: number | null;
  where: string;
  /** made by this job (else found stored). */
  made: boolean;
}

export function formatSummary(
  runId: string,
  rows: readonly SummaryRow[],
  wallS: number,
  raw: { bytes: number | null; made?: boolean } | null,
  savedTo: string | null,
): string[] {
  const w = Math.max(9, ...rows.map((r) => r.dataType.length));
  const out = [
    `Summary of run ${runId}:`,
    `  ${'data type'.padEnd(w)} ${'rows'.padStart(10)} ${'chunks'.padStart(6)}  stored`,
  ];
  for (const r of rows) {
    const where = r.where + (r.made ? '' : r.rows === null ? '' : ' (was stored)');
    out.push(
      `  ${r.dataType.padEnd(w)} ${(r.rows === null ? '-' : String(r.rows)).padStart(10)} ${(r.chunks === null ? '-' : String(r.chunks)).padStart(6)}  ${where}`,
    );
  }
  if (raw?.made)
    out.push(
      raw.bytes === null
        ? 'raw_records: made from the live_data'
        : `raw_records: ${(raw.bytes / 1e6).toFixed(1)} MB made from the live_data in ${wallS.toFixed(1)} s = ${(raw.bytes / 1e6 / wallS).toFixed(1)} MB/s`,
    );
  else if (!raw) out.push('raw_records: not read (everything needed was stored)');
  else if (raw.bytes === null) out.push('raw_records: read (size unknown: not in a data directory)');
  else
    out.push(
      `raw_records: ${(raw.bytes / 1e6).toFixed(1)} MB in ${wallS.toFixed(1)} s = ${(raw.bytes / 1e6 / wallS).toFixed(1)} MB/s`,
    );
  out.push(`peak RSS: ${peakRssMb().toFixed(0)} MB; wall time ${wallS.toFixed(1)} s`);
  out.push(savedTo ? `saved to ${savedTo}` : 'nothing writable: no data was saved');
  return out;
}
