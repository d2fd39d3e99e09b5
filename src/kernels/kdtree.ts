// k-nearest-neighbour search over a fixed point cloud (Euclidean), for the inverse-distance
// interpolation of detector maps. Squared distances are summed dimension by dimension in
// float64, in the order scipy's cKDTree sums them, so distances agree bit for bit.

const LEAF_SIZE = 16;

export class KdTree {
  readonly dims: number;
  readonly size: number;
  private readonly points: Float64Array;
  /** Point indices, permuted so that every node owns a contiguous range. */
  private readonly order: Int32Array;
  // Node arrays (node 0 is the root); a leaf has splitDim -1.
  private readonly nodeStart: number[] = [];
  private readonly nodeEnd: number[] = [];
  private readonly splitDim: number[] = [];
  private readonly splitValue: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];

  /** points: n × dims, row-major. */
  constructor(points: Float64Array, dims: number) {
    if (dims < 1) throw new Error('KdTree: dimension must be at least 1');
    if (points.length % dims !== 0)
      throw new Error('KdTree: point array length is not a multiple of the dimension');
    this.dims = dims;
    this.size = points.length / dims;
    this.points = points;
    this.order = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) this.order[i] = i;
    if (this.size > 0) this.build(0, this.size);
  }

  private build(start: number, end: number): number {
    const id = this.nodeStart.length;
    this.nodeStart.push(start);
    this.nodeEnd.push(end);
    this.splitDim.push(-1);
    this.splitValue.push(0);
    this.left.push(-1);
    this.right.push(-1);
    if (end - start <= LEAF_SIZE) return id;
    // Split the widest dimension at its median.
    const d = this.dims;
    let best = -1,
      bestSpread = 0;
    for (let k = 0; k < d; k++) {
      let lo = Infinity,
        hi = -Infinity;
      for (let i = start; i < end; i++) {
        const v = this.points[this.order[i]! * d + k]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi - lo > bestSpread) {
        bestSpread = hi - lo;
        best = k;
      }
    }
    if (best < 0) return id; // all points identical
    const mid = (start + end) >> 1;
    this.select(start, end, mid, best);
    this.splitDim[id] = best;
    this.splitValue[id] = this.points[this.order[mid]! * d + best]!;
    this.left[id] = this.build(start, mid);
    this.right[id] = this.build(mid, end);
    return id;
  }

  /** Partial sort of order[start, end) so that position `nth` holds its median along `dim`. */
  private select(start: number, end: number, nth: number, dim: number): void {
    const d = this.dims,
      o = this.order,
      p = this.points;
    let lo = start,
      hi = end - 1;
    while (lo < hi) {
      const pivot = p[o[(lo + hi) >> 1]! * d + dim]!;
      let i = lo,
        j = hi;
      while (i <= j) {
        while (p[o[i]! * d + dim]! < pivot) i++;
        while (p[o[j]! * d + dim]! > pivot) j--;
        if (i <= j) {
          const t = o[i]!;
          o[i] = o[j]!;
          o[j] = t;
          i++;
          j--;
        }
      }
      if (nth <= j) hi = j;
      else if (nth >= i) lo = i;
      else break;
    }
  }

  /**
   * The k nearest points to q, nearest first (ties: lower point index first).
   * Writes indices and Euclidean distances; k must not exceed the number of points.
   */
  query(q: ArrayLike<number>, k: number, outIndex: Int32Array, outDistance: Float64Array): void {
    if (k > this.size) throw new Error(`KdTree: asked for ${k} neighbours of a map with ${this.size} points`);
    // Max-heap of the best k so far, keyed by (squared distance, index).
    const heapD = new Float64Array(k),
      heapI = new Int32Array(k);
    let count = 0;
    const worse = (da: number, ia: number, db: number, ib: number) => da > db || (da === db && ia > ib);
    const push = (dist: number, idx: number) => {
      if (count < k) {
        let c = count++;
        while (c > 0) {
          const parent = (c - 1) >> 1;
          if (!worse(dist, idx, heapD[parent]!, heapI[parent]!)) break;
          heapD[c] = heapD[parent]!;
          heapI[c] = heapI[parent]!;
          c = parent;
        }
        heapD[c] = dist;
        heapI[c] = idx;
      } else if (worse(heapD[0]!, heapI[0]!, dist, idx)) {
        let c = 0;
        for (;;) {
          const l = 2 * c + 1,
            r = l + 1;
          let m = c,
            md = dist,
            mi = idx;
          if (l < k && worse(heapD[l]!, heapI[l]!, md, mi)) {
            m = l;
            md = heapD[l]!;
            mi = heapI[l]!;
          }
          if (r < k && worse(heapD[r]!, heapI[r]!, md, mi)) {
            m = r;
          }
          if (m === c) break;
          heapD[c] = heapD[m]!;
          heapI[c] = heapI[m]!;
          c = m;
        }
        heapD[c] = dist;
        heapI[c] = idx;
      }
    };
    const d = this.dims,
      p = this.points,
      o = this.order;
    const visit = (node: number, boundSq: number) => {
      if (count === k && boundSq > heapD[0]!) return;
      const sd = this.splitDim[node]!;
      if (sd < 0) {
        for (let i = this.nodeStart[node]!; i < this.nodeEnd[node]!; i++) {
          const idx = o[i]!;
          let s = 0;
          for (let j = 0; j < d; j++) {
            const diff = p[idx * d + j]! - q[j]!;
            s += diff * diff;
          }
          push(s, idx);
        }
        return;
      }
      const delta = q[sd]! - this.splitValue[node]!;
      const near = delta < 0 ? this.left[node]! : this.right[node]!;
      const far = delta < 0 ? this.right[node]! : this.left[node]!;
      visit(near, boundSq);
      visit(far, Math.max(boundSq, delta * delta));
    };
    if (this.size > 0) visit(0, 0);
    // Sort the heap's contents ascending.
    const idx = Array.from({ length: count }, (_, i) => i);
    idx.sort((a, b) => heapD[a]! - heapD[b]! || heapI[a]! - heapI[b]!);
    for (let i = 0; i < count; i++) {
      outIndex[i] = heapI[idx[i]!]!;
      outDistance[i] = Math.sqrt(heapD[idx[i]!]!);
    }
  }
}
