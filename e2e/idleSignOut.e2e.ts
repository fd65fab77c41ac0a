// Idle sign-out across tabs (idleSignOut({ afterMs: 8000, warnMs: 3000 }), signing out here
// only): activity in tab B keeps tab A signed in; with no activity both tabs sign out at the
// deadline, after a warning warnMs before it; a computer that slept past the deadline (the
// page's clock jumps, no timer runs) signs out when it wakes. Times are measured in the pages.
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { loginAtProvider, testId } from './support/browser'
import { context, useBrowser } from './support/useBrowser'

const issuer = inject('issuer')
const appUrl = inject('appUrl')
const AFTER_MS = 8_000
const WARN_MS = 3_000
const IDLE = `idle=${AFTER_MS},${WARN_MS}&idleLogout=local&storage=local`

useBrowser({ page: false })

const status = (p: Page) => testId(p, 'status').textContent()

/** Records in the page when the warning began (and its deadline) and when the tab signed out. */
const watch = (p: Page) =>
  p.evaluate(() => {
    const w = window as unknown as { __tk: { subscribe(f: () => void): void; getSnapshot(): { status: string; idleDeadlineAt?: number | null } }; idleSeen: { warnedAt?: number; deadline?: number; outAt?: number } }
    w.idleSeen = {}
    w.__tk.subscribe(() => {
      const s = w.__tk.getSnapshot()
      if (s.idleDeadlineAt != null) {
        w.idleSeen.warnedAt ??= Date.now()
        w.idleSeen.deadline = s.idleDeadlineAt
      }
      if (s.status !== 'authenticated') w.idleSeen.outAt ??= Date.now()
    })
  })
const seen = (p: Page) => p.evaluate(() => (window as unknown as { idleSeen: { warnedAt?: number; deadline?: number; outAt?: number } }).idleSeen)

async function signedIn(p: Page): Promise<void> {
  await p.goto(`${appUrl}/?${IDLE}`)
  await expect.poll(() => status(p)).toBe('unauthenticated')
  await testId(p, 'login').click()
  await p.waitForURL((url) => url.href.startsWith(issuer))
  await loginAtProvider(p, appUrl)
  await expect.poll(() => status(p)).toBe('authenticated')
}

describe('idle sign-out across tabs', () => {
  it('activity in tab B keeps tab A signed in; then both sign out at the deadline, warned warnMs before', { timeout: 60_000 }, async () => {
    const a = await context.newPage()
    await signedIn(a)
    const b = await context.newPage()
    await b.goto(`${appUrl}/?${IDLE}`)
    await expect.poll(() => status(b)).toBe('authenticated')
    await Promise.all([watch(a), watch(b)])
    // 14 s of activity in B only, longer than afterMs: A must stay signed in.
    let lastActivity = 0
    for (let i = 0; i < 14; i++) {
      await b.mouse.move(10 + i * 5, 10 + i * 3)
      lastActivity = Date.now()
      await b.waitForTimeout(1_000)
    }
    expect(await status(a)).toBe('authenticated')
    expect((await seen(a)).outAt).toBeUndefined()
    // No more activity: both tabs sign out about afterMs after the last.
    await expect.poll(() => status(a), { timeout: AFTER_MS + 5_000 }).toBe('unauthenticated')
    await expect.poll(() => status(b), { timeout: 3_000 }).toBe('unauthenticated')
    for (const [name, p] of [['A', a], ['B', b]] as const) {
      const s = await seen(p)
      const late = s.outAt! - s.deadline!
      const warnedBefore = s.deadline! - s.warnedAt!
      console.log(`[measure] tab ${name}: warned ${(warnedBefore / 1000).toFixed(2)} s before the deadline (warnMs ${WARN_MS / 1000} s); signed out ${late} ms after it; deadline ${s.deadline! - lastActivity} ms after the last activity (afterMs ${AFTER_MS})`)
      expect(Math.abs(late)).toBeLessThanOrEqual(1_000)
      expect(Math.abs(warnedBefore - WARN_MS)).toBeLessThanOrEqual(1_000)
      expect(Math.abs(s.deadline! - lastActivity - AFTER_MS)).toBeLessThanOrEqual(1_000)
    }
  })

  it('"Stay signed in" during the warning moves the deadline in every tab', { timeout: 60_000 }, async () => {
    const a = await context.newPage()
    await signedIn(a)
    const b = await context.newPage()
    await b.goto(`${appUrl}/?${IDLE}`)
    await expect.poll(() => status(b)).toBe('authenticated')
    const countdown = (p: Page) => testId(p, 'idle-deadline').textContent()
    await expect.poll(() => countdown(a), { timeout: AFTER_MS }).not.toBe('')
    expect(await countdown(b)).not.toBe('')
    const first = await countdown(a)
    // Dispatched, not clicked with the mouse: moving the mouse there is activity already, which
    // would end the warning before the button is reached.
    await testId(a, 'still-here').dispatchEvent('click')
    await expect.poll(() => countdown(a)).toBe('')
    await expect.poll(() => countdown(b)).toBe('')
    await b.waitForTimeout(WARN_MS + 1_000) // past the first deadline
    expect(await status(a)).toBe('authenticated')
    expect(await status(b)).toBe('authenticated')
    expect(Date.parse(first!)).toBeLessThan(Date.now())
  })

  it('a computer that slept past the deadline signs out when it wakes', { timeout: 60_000 }, async () => {
    const a = await context.newPage()
    await a.clock.install()
    await signedIn(a)
    // Asleep: the wall clock moves on a minute, no timer runs. Then the page wakes (focus).
    await a.clock.setSystemTime(Date.now() + 60_000)
    const wokeAt = Date.now()
    await a.evaluate(() => window.dispatchEvent(new Event('focus')))
    await expect.poll(() => status(a), { timeout: 2_000, interval: 50 }).toBe('unauthenticated')
    console.log(`[measure] after the clock jump: signed out ${Date.now() - wokeAt} ms after waking`)
  })
})
