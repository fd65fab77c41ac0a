import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MAX_TIMER_MS, createScheduler } from './scheduler'

describe('createScheduler', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }))
  afterEach(() => vi.useRealTimers())

  it('runs the job when the wall clock reaches the due time', () => {
    const job = vi.fn()
    createScheduler(Date.now).at(Date.now() + 5_000, job)
    vi.advanceTimersByTime(4_999)
    expect(job).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(job).toHaveBeenCalledTimes(1)
  })

  it('does not overflow setTimeout for long lifetimes', () => {
    const job = vi.fn()
    const due = Date.now() + 40 * 24 * 3600_000 // 40 days > 2^31-1 ms
    createScheduler(Date.now).at(due, job)
    vi.advanceTimersByTime(MAX_TIMER_MS)
    expect(job).not.toHaveBeenCalled()
    vi.advanceTimersByTime(due - Date.now())
    expect(job).toHaveBeenCalledTimes(1)
  })

  it('check() runs an overdue job at once after the machine slept (timers did not fire)', () => {
    const job = vi.fn()
    const s = createScheduler(Date.now)
    s.at(Date.now() + 60_000, job)
    vi.setSystemTime(Date.now() + 3600_000) // the clock jumps; no timer callback has run
    expect(job).not.toHaveBeenCalled()
    s.check()
    expect(job).toHaveBeenCalledTimes(1)
    s.check()
    expect(job).toHaveBeenCalledTimes(1)
  })

  it('a new schedule replaces the old one and cancel() drops it', () => {
    const first = vi.fn()
    const second = vi.fn()
    const s = createScheduler(Date.now)
    s.at(Date.now() + 1_000, first)
    s.at(Date.now() + 2_000, second)
    vi.advanceTimersByTime(1_500)
    expect(first).not.toHaveBeenCalled()
    s.cancel()
    vi.advanceTimersByTime(10_000)
    expect(second).not.toHaveBeenCalled()
  })
})
