import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";

/** A FIFO of finished spans bounded by count and by estimated bytes, including what is in flight. */
export class SpanQueue {
  private items: ReadableSpan[] = [];
  private sizes: number[] = [];
  private head = 0;
  private queuedBytes = 0;
  /** Spans and bytes taken by the batch currently being exported. */
  private inFlight = { count: 0, bytes: 0 };

  constructor(private readonly maxCount: number, private readonly maxBytes: number) {}

  /** Spans waiting (not yet taken). */
  get waiting(): number {
    return this.items.length - this.head;
  }

  /** Spans held in memory: waiting + in flight. */
  get held(): number {
    return this.waiting + this.inFlight.count;
  }

  get heldBytes(): number {
    return this.queuedBytes + this.inFlight.bytes;
  }

  /** Add a span unless that would exceed a budget; false means "drop the newest". */
  push(span: ReadableSpan, bytes: number): boolean {
    if (this.held >= this.maxCount || (this.held > 0 && this.heldBytes + bytes > this.maxBytes)) return false;
    this.items.push(span);
    this.sizes.push(bytes);
    this.queuedBytes += bytes;
    return true;
  }

  /** Take the next batch (≤ maxSpans, ≤ maxBytes estimated, at least one span) into flight. */
  take(maxSpans: number, maxBytes: number): ReadableSpan[] {
    const start = this.head;
    let bytes = 0;
    let end = start;
    while (end < this.items.length && end - start < maxSpans) {
      const b = this.sizes[end]!;
      if (end > start && bytes + b > maxBytes) break;
      bytes += b;
      end++;
    }
    const batch = this.items.slice(start, end);
    this.head = end;
    this.queuedBytes -= bytes;
    this.inFlight = { count: this.inFlight.count + batch.length, bytes: this.inFlight.bytes + bytes };
    this.compact();
    return batch;
  }

  /** The batch in flight is settled (exported or dropped). */
  release(): void {
    this.inFlight = { count: 0, bytes: 0 };
  }

  /** Remove everything still waiting; returns how many. */
  clear(): number {
    const n = this.waiting;
    this.items = [];
    this.sizes = [];
    this.head = 0;
    this.queuedBytes = 0;
    return n;
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.sizes = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
  }
}
