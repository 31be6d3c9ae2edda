/** Time is handed in, so tests and the sandbox can run on a simulated clock. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export function fixedClock(start: number): Clock & { advance(ms: number): void; set(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
    set(ms) {
      t = ms;
    },
  };
}

/** Real time flowing from a chosen start: the demo's simulated days and RESPOND_AUDIT_NOW. */
export function offsetClock(start: number, real: () => number = Date.now): Clock {
  const realStart = real();
  return { now: () => start + (real() - realStart) };
}
