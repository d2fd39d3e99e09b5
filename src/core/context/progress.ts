// Progress of long work: a callback for callers, and a one-line bar on stderr (TTY only).

export interface ProgressInfo {
  runId: string;
  target: string;
  /** Chunks of the target so far (not of its input), their bytes, and where the last ended [ns]. */
  chunks: number;
  bytes: number;
  end: bigint;
  /** Fraction of the run covered, when the run's extent is known. */
  fraction: number | null;
  seconds: number;
}

export type ProgressCallback = (p: ProgressInfo) => void;

export class Progress {
  private chunks = 0;
  private bytes = 0;
  private readonly t0 = Date.now();
  private lastDraw = 0;
  private readonly bar: boolean;

  constructor(
    private readonly runId: string,
    private readonly target: string,
    private readonly extent: readonly [bigint, bigint] | null,
    showBar: boolean,
    private readonly callback?: ProgressCallback,
  ) {
    this.bar = showBar && !!process.stderr.isTTY;
  }

  update(chunkEnd: bigint, nbytes: number): void {
    this.chunks++;
    this.bytes += nbytes;
    let fraction: number | null = null;
    if (this.extent && this.extent[1] > this.extent[0]) {
      fraction = Number(chunkEnd - this.extent[0]) / Number(this.extent[1] - this.extent[0]);
      fraction = Math.max(0, Math.min(1, fraction));
    }
    const info: ProgressInfo = {
      runId: this.runId,
      target: this.target,
      chunks: this.chunks,
      bytes: this.bytes,
      end: chunkEnd,
      fraction,
      seconds: (Date.now() - this.t0) / 1000,
    };
    this.callback?.(info);
    if (this.bar && Date.now() - this.lastDraw > 200) {
      this.lastDraw = Date.now();
      this.draw(info);
    }
  }

  private draw(p: ProgressInfo): void {
    const mbs = p.seconds > 0 ? p.bytes / 1e6 / p.seconds : 0;
    const width = 30;
    const bar =
      p.fraction === null
        ? ''
        : `[${'#'.repeat(Math.round(p.fraction * width)).padEnd(width, ' ')}] ${(p.fraction * 100).toFixed(0).padStart(3)}% `;
    process.stderr.write(
      `\r${this.runId} ${this.target}: ${bar}${p.chunks} chunks, ${mbs.toFixed(1)} MB/s, ${p.seconds.toFixed(1)} s`,
    );
  }

  done(): void {
    if (this.bar && this.lastDraw > 0) process.stderr.write('\n');
  }
}
