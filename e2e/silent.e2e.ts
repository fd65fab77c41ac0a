// A provider that gives the SPA no refresh token: the session is renewed by silent authorization
// (prompt=none in a hidden iframe, landing on /silent-callback.html), once per expiry for all
// tabs, and ends everywhere when the provider's own session is gone. Real Chromium, real provider.
//
// The harness serves the app and the provider on 127.0.0.1 (different ports): one site, so the
// provider's SameSite=Lax session cookie goes along into the iframe. The last test opens the app
// as http://localhost:PORT instead, a different site from the provider, to show what a user of a
// cross-site setup gets.
import type { Page } from 'playwright-core'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { loginAtProvider, testId } from './support/browser'
import { failNext, providerStats, setAccessTokenTtl, setRefreshTokens } from './support/provider'
import { context, useBrowser } from './support/useBrowser'

const issuer = inject('issuer')
const appUrl = inject('appUrl')

useBrowser({ page: false, restoreTtl: true })
beforeEach(async () => {
  await setRefreshTokens(issuer, false)
})
afterEach(async () => {
  await setRefreshTokens(issuer, true)
})

type TkWindow = { __tk: { getSnapshot(): { status: string; expiresAt: number | null }; subscribe(l: () => void): () => void }; __statuses: string[] }
const status = (p: Page) => testId(p, 'status').textContent()
const errorCode = (p: Page) => testId(p, 'error-code').textContent()
const expiresAt = (p: Page) => p.evaluate(() => (window as unknown as TkWindow).__tk.getSnapshot().expiresAt)
/** Records every status the page's snapshot goes through from now on. */
const recordStatuses = (p: Page) =>
  p.evaluate(() => {
    const w = window as unknown as TkWindow
    w.__statuses = []
    w.__tk.subscribe(() => w.__statuses.push(w.__tk.getSnapshot().status))
  })
const statusesSeen = (p: Page) => p.evaluate(() => (window as unknown as TkWindow).__statuses)
const silentCount = async () => (await providerStats(issuer)).authorizations.silent

async function signIn(app: string, query: string): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${app}/?${query}`)
  await expect.poll(() => status(page)).toBe('unauthenticated')
  await testId(page, 'login').click()
  await page.waitForURL((url) => url.href.startsWith(issuer))
  await loginAtProvider(page, { appUrl: app })
  await expect.poll(() => status(page)).toBe('authenticated')
  return page
}

async function openTabs(app: string, n: number): Promise<Page[]> {
  const pages: Page[] = []
  for (let i = 0; i < n; i++) {
    const p = await context.newPage()
    await p.goto(app)
    await expect.poll(() => status(p)).toBe('authenticated')
    pages.push(p)
  }
  return pages
}

describe('silent renewal without refresh token (app and provider on one site)', () => {
  it('3 tabs through 2+ expiries: renewed in the iframe, one prompt=none request per expiry, never signed out', async () => {
    await setAccessTokenTtl(issuer, 6) // renewed after 87.5-90 % of its life, so about every 5.3 s
    const started = Date.now()
    const first = await signIn(appUrl, 'storage=indexeddb&silent=1')
    const tabs = [first, ...(await openTabs(appUrl, 2))]
    for (const t of tabs) await recordStatuses(t)
    const watchedExpiry = (await expiresAt(first))!
    const baseline = await silentCount()
    // Past two lifetimes of the token we watch (it and its successor have expired), two renewals more.
    await expect
      .poll(async () => Date.now() > watchedExpiry + 6_000 && (await silentCount()) >= baseline + 2, { timeout: 30_000, interval: 200 })
      .toBe(true)
    const elapsedS = (Date.now() - started) / 1000
    // Let the last renewal land everywhere.
    await expect
      .poll(async () => new Set(await Promise.all(tabs.map(expiresAt))).size, { timeout: 5_000, interval: 100 })
      .toBe(1)
    const stats = await providerStats(issuer)
    expect(stats.refreshTokensIssued).toBe(0)
    expect(stats.grants.refresh_token ?? 0).toBe(0)
    expect(stats.silentErrors).toEqual([])
    // Every silent request was answered with a code that was exchanged (plus the interactive login).
    expect(stats.grants.authorization_code).toBeGreaterThanOrEqual(stats.authorizations.silent)
    // One renewal per expiry for all three tabs: a token lives 6 s and is renewed no earlier than 2.25 s into its life.
    expect(stats.authorizations.silent).toBeLessThanOrEqual(Math.ceil(elapsedS / 2.25) + 1)
    expect((await expiresAt(first))!).toBeGreaterThan(Date.now()) // a live token after two expiries
    for (const t of tabs) {
      expect(await status(t)).toBe('authenticated')
      expect(await errorCode(t)).toBe('')
      expect(await statusesSeen(t)).not.toContain('unauthenticated')
    }
    // The hidden iframe is gone after each renewal.
    await expect.poll(() => first.locator('iframe').count()).toBe(0)
  })

  it('the provider session ended: the next silent renewal gets login_required and every tab is signed out with ERR_SESSION_EXPIRED', async () => {
    await setAccessTokenTtl(issuer, 6)
    const tabs = [await signIn(appUrl, 'storage=indexeddb&silent=1'), ...(await openTabs(appUrl, 1))]
    await expect.poll(silentCount, { timeout: 15_000, interval: 200 }).toBeGreaterThanOrEqual(1)
    for (const t of tabs) await recordStatuses(t)
    // The user signed out at the provider elsewhere, or its session expired: its cookie is gone.
    await context.clearCookies()
    for (const t of tabs) {
      await expect.poll(() => status(t), { timeout: 20_000 }).toBe('unauthenticated')
      expect(await errorCode(t)).toBe('ERR_SESSION_EXPIRED')
      // Same site: no third-party-cookie hint, the provider really has no session.
      expect(await testId(t, 'error-message').textContent()).not.toMatch(/another site/)
      // One transition (a renewal that landed just before the cookie went away only changes expiresAt).
      const seen = await statusesSeen(t)
      expect(seen.filter((s) => s === 'unauthenticated')).toEqual(['unauthenticated'])
      expect(seen.at(-1)).toBe('unauthenticated')
    }
    expect((await providerStats(issuer)).silentErrors).toContain('login_required')
  })

  it('the provider forbids framing (X-Frame-Options): ERR_SILENT_AUTH names the likely causes, the session is kept and renewed once framing works again', async () => {
    await setAccessTokenTtl(issuer, 20) // renewed 17.5-18 s in
    const page = await signIn(appUrl, 'storage=indexeddb&silent=1&silentTimeout=3000')
    const firstExpiry = (await expiresAt(page))!
    await failNext(issuer, {
      endpoint: 'authorization',
      status: 200,
      contentType: 'text/html',
      body: '<!doctype html><title>Sign in</title><p>Sign in</p>',
      headers: { 'x-frame-options': 'DENY', 'content-security-policy': "frame-ancestors 'none'" },
    })
    await expect.poll(() => testId(page, 'warning-code').textContent(), { timeout: 25_000, interval: 200 }).toBe('ERR_SILENT_AUTH')
    expect(await status(page)).toBe('authenticated')
    expect(await testId(page, 'warning-message').textContent()).toMatch(/X-Frame-Options.*third-party cookies/s)
    expect(await silentCount()).toBe(1)
    // The failure was one-off: the backoff retry goes through and clears the error.
    await expect.poll(() => testId(page, 'warning-code').textContent(), { timeout: 15_000, interval: 200 }).toBe('')
    expect((await expiresAt(page))!).toBeGreaterThan(firstExpiry)
    expect(await status(page)).toBe('authenticated')
  })
})

describe('cross-site: app on localhost, provider on 127.0.0.1', () => {
  // Measured in this Chromium (156, headless): a cross-site iframe gets no cookie at all, neither
  // the provider's SameSite=Lax session cookie nor a SameSite=None; Secure one (third-party
  // cookies blocked). The provider cannot tell that from an ended session.
  it('the provider cookie does not reach the iframe, so the provider answers login_required and the session ends, with a hint', async () => {
    const crossSiteApp = appUrl.replace('127.0.0.1', 'localhost')
    await setAccessTokenTtl(issuer, 6)
    const page = await signIn(crossSiteApp, 'storage=indexeddb&silent=1')
    await expect.poll(() => status(page), { timeout: 20_000 }).toBe('unauthenticated')
    expect(await errorCode(page)).toBe('ERR_SESSION_EXPIRED')
    expect(await testId(page, 'error-message').textContent()).toMatch(/another site.*third-party cookies/)
    const stats = await providerStats(issuer)
    expect(stats.authorizations.silent).toBe(1)
    expect(stats.silentErrors).toEqual(['login_required'])
  })
})
