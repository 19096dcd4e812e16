/**
 * The one source of time for the server and every reconciler: real time, scaled time
 * (`--time-scale 60` makes a minute pass in a second) or, in tests, manual time.
 */
export interface Clock {
  now(): Date;
  /** Like setTimeout, in clock time. Returns a cancel function. */
  after(ms: number, fn: () => void): () => void;
}

export class ScaledClock implements Clock {
  private readonly realStart = Date.now();

  constructor(private readonly scale = 1) {}

  now(): Date {
    if (this.scale === 1) return new Date();
    return new Date(this.realStart + (Date.now() - this.realStart) * this.scale);
  }

  after(ms: number, fn: () => void): () => void {
    const timer = setTimeout(fn, ms / this.scale);
    timer.unref();
    return () => clearTimeout(timer);
  }
}

/** Time that moves only when a test says so. */
export class ManualClock implements Clock {
  private current: number;
  private timers: { at: number; fn: () => void }[] = [];

  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    this.current = start;
  }

  now(): Date {
    return new Date(this.current);
  }

  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.current + ms, fn };
    this.timers.push(timer);
    return () => (this.timers = this.timers.filter((t) => t !== timer));
  }

  advance(ms: number): void {
    this.current += ms;
    const due = this.timers.filter((t) => t.at <= this.current).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((t) => t.at > this.current);
    for (const t of due) t.fn();
  }
}

let formattedSecond = NaN;
let formatted = '';

/**
 * RFC 3339 with second precision, as metav1.Time serialises. Every write stamps one or two times,
 * almost always within the same second as the previous write, so the last text is kept.
 */
export function formatTime(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== formattedSecond) {
    // An invalid date makes toISOString throw, as it always did.
    formatted = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    formattedSecond = second;
  }
  return formatted;
}
