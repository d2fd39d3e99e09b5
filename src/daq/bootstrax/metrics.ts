// Prometheus metrics of one bootstrax (text exposition format on GET /metrics): runs processed
// and failed, MB/s of the last run, the daemon's state, and how much live_data waits.

import { createServer, type Server } from 'node:http';

export class BootstraxMetrics {
  runsDone = 0;
  runsFailed = 0;
  lastRunMbPerS = 0;
  lastRunSeconds = 0;
  state = 'starting';
  /** Runs not yet claimed by anyone, and their live_data bytes (measured when idle). */
  backlogRuns = 0;
  backlogBytes = 0;
  private server: Server | undefined;

  constructor(private readonly host: string) {}

  text(): string {
    const h = `host="${this.host.replace(/["\\\n]/g, '_')}"`;
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, value: number, labels = h): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name}{${labels}} ${value}`);
    };
    metric('bootstrax_runs_processed_total', 'counter', 'Runs this daemon brought to done.', this.runsDone);
    metric('bootstrax_runs_failed_total', 'counter', 'Runs this daemon marked failed.', this.runsFailed);
    metric(
      'bootstrax_last_run_mb_per_second',
      'gauge',
      'raw_records MB/s of the last run.',
      this.lastRunMbPerS,
    );
    metric('bootstrax_last_run_seconds', 'gauge', 'Processing time of the last run.', this.lastRunSeconds);
    metric('bootstrax_live_backlog_runs', 'gauge', 'Runs waiting to be claimed.', this.backlogRuns);
    metric('bootstrax_live_backlog_bytes', 'gauge', 'live_data bytes of runs waiting.', this.backlogBytes);
    lines.push(
      '# HELP bootstrax_state The daemon state (1 for the current one).',
      '# TYPE bootstrax_state gauge',
    );
    for (const s of ['starting', 'busy', 'idle', 'disk full', 'dead_bootstrax'])
      lines.push(`bootstrax_state{${h},state="${s}"} ${s === this.state ? 1 : 0}`);
    return lines.join('\n') + '\n';
  }

  /** Serve on `port` (0: any free port); resolves with the port. */
  listen(port: number): Promise<number> {
    this.server = createServer((req, res) => {
      if (req.method === 'GET' && (req.url === '/metrics' || req.url === '/')) {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(this.text());
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found: GET /metrics\n');
      }
    });
    const server = this.server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => {
        const a = server.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
  }

  close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    return new Promise((resolve) => (s ? s.close(() => resolve()) : resolve()));
  }
}
