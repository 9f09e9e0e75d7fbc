/**
 * A min-heap of events by time; events at the same time come out in the order
 * they were scheduled, which keeps a run deterministic.
 */
export class EventQueue<T> {
  #times: number[] = [];
  #orders: number[] = [];
  #items: T[] = [];
  #scheduled = 0;

  get size(): number {
    return this.#items.length;
  }

  push(time: number, item: T): void {
    this.#times.push(time);
    this.#orders.push(this.#scheduled++);
    this.#items.push(item);
    this.#up(this.#items.length - 1);
  }

  /** the time of the earliest event, or Infinity when there is none */
  peekTime(): number {
    return this.#items.length > 0 ? (this.#times[0] as number) : Number.POSITIVE_INFINITY;
  }

  pop(): { time: number; item: T } | undefined {
    if (this.#items.length === 0) return undefined;
    const time = this.#times[0] as number;
    const item = this.#items[0] as T;
    const last = this.#items.length - 1;
    this.#move(last, 0);
    this.#times.pop();
    this.#orders.pop();
    this.#items.pop();
    if (this.#items.length > 0) this.#down(0);
    return { time, item };
  }

  #before(a: number, b: number): boolean {
    const ta = this.#times[a] as number;
    const tb = this.#times[b] as number;
    return ta < tb || (ta === tb && (this.#orders[a] as number) < (this.#orders[b] as number));
  }

  #move(from: number, to: number): void {
    this.#times[to] = this.#times[from] as number;
    this.#orders[to] = this.#orders[from] as number;
    this.#items[to] = this.#items[from] as T;
  }

  #swap(a: number, b: number): void {
    const time = this.#times[a] as number;
    const order = this.#orders[a] as number;
    const item = this.#items[a] as T;
    this.#move(b, a);
    this.#times[b] = time;
    this.#orders[b] = order;
    this.#items[b] = item;
  }

  #up(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(i, parent)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(index: number): void {
    let i = index;
    const n = this.#items.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) return;
      const right = left + 1;
      const child = right < n && this.#before(right, left) ? right : left;
      if (!this.#before(child, i)) return;
      this.#swap(i, child);
      i = child;
    }
  }
}
