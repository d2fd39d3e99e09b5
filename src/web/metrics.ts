// Prometheus metrics of the server, in the text exposition format: requests by route and status,
// a latency histogram by route, response bytes by route. Routes are a fixed set of names (never
// the raw path), so a flood of odd URLs cannot grow the label space.

const BUCKETS_S = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export class ServerMetrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly bytes = new Map<string, number>();
  inFlight = 0;

  record(route: string, status: number, seconds: number, bytes: number): void {
    const key = `route="${route}",code="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let h = this.latency.get(route);
    if (!h) this.latency.set(route, (h = { counts: BUCKETS_S.map(() => 0), sum: 0, count: 0 }));
    BUCKETS_S.forEach((b, i) => {
      if (seconds <= b) h.counts[i]!++;
    });
    h.sum += seconds;
    h.count++;
    this.bytes.set(route, (this.bytes.get(route) ?? 0) + bytes);
  }

  /** Requests answered so far with a status (for tests and health checks). */
  count(route: string, status: number): number {
    return this.requests.get(`route="${route}",code="${status}"`) ?? 0;
  }

  text(): string {
    const out: string[] = [];
    out.push('# HELP microstrax_requests_total HTTP requests answered, by route and status code.');
    out.push('# TYPE microstrax_requests_total counter');
    for (const [k, v] of [...this.requests].sort()) out.push(`microstrax_requests_total{${k}} ${v}`);
    out.push('# HELP microstrax_request_duration_seconds Time from request to the last byte sent.');
    out.push('# TYPE microstrax_request_duration_seconds histogram');
    for (const [route, h] of [...this.latency].sort()) {
      BUCKETS_S.forEach((b, i) =>
        out.push(`microstrax_request_duration_seconds_bucket{route="${route}",le="${b}"} ${h.counts[i]}`),
      );
      out.push(`microstrax_request_duration_seconds_bucket{route="${route}",le="+Inf"} ${h.count}`);
      out.push(`microstrax_request_duration_seconds_sum{route="${route}"} ${h.sum}`);
      out.push(`microstrax_request_duration_seconds_count{route="${route}"} ${h.count}`);
    }
    out.push('# HELP microstrax_response_bytes_total Bytes of response bodies sent, by route.');
    out.push('# TYPE microstrax_response_bytes_total counter');
    for (const [route, v] of [...this.bytes].sort())
      out.push(`microstrax_response_bytes_total{route="${route}"} ${v}`);
    out.push('# HELP microstrax_requests_in_flight Requests being answered now.');
    out.push('# TYPE microstrax_requests_in_flight gauge');
    out.push(`microstrax_requests_in_flight ${this.inFlight}`);
    return out.join('\n') + '\n';
  }
}
