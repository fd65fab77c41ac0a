/** Longest delay `setTimeout` accepts; longer ones overflow and fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1

export interface Timers {
  set(fn: () => void, ms: number): unknown
  clear(handle: unknown): void
}

export const browserTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

export interface Scheduler {
  /** Runs `fn` once the wall clock reaches `at` (epoch ms). Replaces any earlier schedule. */
  at(at: number, fn: () => void): void
  /** Re-checks the wall clock now: runs the scheduled job if its time has passed (after sleep). */
  check(): void
  cancel(): void
}

/**
 * Schedules from the wall clock rather than from elapsed timer time: timers stop while a laptop
 * sleeps and are throttled in background tabs, so every wake-up compares `now()` with the due
 * time instead of trusting that the delay has passed.
 */
export function createScheduler(now: () => number, timers: Timers = browserTimers): Scheduler {
  let due: number | undefined
  let job: (() => void) | undefined
  let handle: unknown

  const clear = () => {
    if (handle !== undefined) timers.clear(handle)
    handle = undefined
  }
  const arm = () => {
    clear()
    if (due === undefined) return
    const delay = Math.max(0, due - now())
    handle = timers.set(fire, Math.min(delay, MAX_TIMER_MS))
  }
  const fire = () => {
    handle = undefined
    if (due === undefined || job === undefined) return
    if (now() < due) return arm() // woke early (clamped delay or clock change): wait again
    const run = job
    due = undefined
    job = undefined
    run()
  }
  return {
    at(at, fn) {
      due = at
      job = fn
      arm()
    },
    check() {
      if (due !== undefined && now() >= due) fire()
    },
    cancel() {
      clear()
      due = undefined
      job = undefined
    },
  }
}
