// What one ajax invocation did (or, in a dry run, would do): every action as one log line, and
// a summary at the end.

import { formatBytes } from '../../core/format-bytes.js';
import type { DeletionOutcome } from '../data-safety.js';
import { describe } from '../data-safety.js';

export interface Refusal {
  what: string;
  why: string;
}

export class AjaxReport {
  readonly runs = new Set<number>();
  deletedFolders = 0;
  movedFolders = 0;
  removedEntries = 0;
  bytesFreed = 0;
  readonly refusals: Refusal[] = [];

  constructor(
    readonly production: boolean,
    private readonly log: (line: string) => void,
    private readonly warn: (line: string) => void = log,
  ) {}

  private get would(): string {
    return this.production ? '' : 'would ';
  }

  lookedAt(run: number): void {
    this.runs.add(run);
  }

  note(line: string): void {
    this.log(line);
  }

  refuse(what: string, why: string): void {
    this.refusals.push({ what, why });
    this.warn(`kept ${what}: ${why}`);
  }

  deletion(o: DeletionOutcome): void {
    this.runs.add(o.entry.run);
    const what = describe(o.entry);
    if (o.action === 'refused') return this.refuse(what, o.why ?? 'refused');
    if (o.action === 'declined' || o.action === 'gone') return this.log(`skipped ${what}: ${o.why}`);
    this.removedEntries++;
    this.deletedFolders += o.folders.length;
    this.bytesFreed += o.bytes;
    const forced = o.forced ? ' (FORCED: it was a last copy)' : '';
    const where = o.folders.length
      ? `${o.folders.join(', ')} (${formatBytes(o.bytes)})`
      : 'its entry only (nothing on disk)';
    this.log(`${this.would}delete ${what}: ${where}${forced}`);
  }

  moved(from: string, to: string, bytes: number): void {
    this.movedFolders++;
    this.log(`${this.would}move ${from} -> ${to} (${formatBytes(bytes)})`);
  }

  summary(): string {
    const w = this.production ? '' : ' (dry run: nothing was changed; add --production to do it)';
    const to = this.production ? '' : 'to be ';
    return [
      `ajax summary${w}:`,
      `  runs looked at: ${this.runs.size}`,
      `  folders ${to}deleted: ${this.deletedFolders}, ${to}moved: ${this.movedFolders}`,
      `  database entries ${to}removed: ${this.removedEntries}`,
      `  bytes ${this.production ? 'freed' : 'to be freed'}: ${formatBytes(this.bytesFreed)}`,
      `  refusals: ${this.refusals.length}`,
      ...this.refusals.map((r) => `    ${r.what}: ${r.why}`),
    ].join('\n');
  }
}
