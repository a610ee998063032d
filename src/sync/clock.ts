/** Time and timers, injectable so scheduler tests advance minutes in microseconds. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.(); // the schedule alone never keeps a process alive
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** The schedule floor of SPEC §8: no credential is imported more often than every 15 minutes. */
export const MIN_FREQUENCY_MINUTES = 15;
export const minutes = (n: number) => n * 60_000;
