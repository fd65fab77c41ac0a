// Several tabs, one session: renewed once per expiry for all of them, kept through a network cut,
// ended everywhere when the provider ends it or the user logs out. Real Chromium, real provider,
// rotating refresh tokens, short-lived access tokens.
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { confirmProviderLogout, loginAtProvider, testId } from './support/browser'
import { providerStats, revokeAll, setAccessTokenTtl } from './support/provider'
import { context, useBrowser } from './support/useBrowser'

const issuer = inject('issuer')
const appUrl = inject('appUrl')

useBrowser({ page: false, restoreTtl: true })

const status = (p: Page) => testId(p, 'status').textContent()
const expiresAt = (p: Page) => p.evaluate(() => (window as unknown as { __tk: { getSnapshot(): { expiresAt: number | null } } }).__tk.getSnapshot().expiresAt)

async function signIn(storage: string): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${appUrl}/?storage=${storage}`)
  await expect.poll(() => status(page)).toBe('unauthenticated')
  await testId(page, 'login').click()
  await page.waitForURL((url) => url.href.startsWith(issuer))
  await loginAtProvider(page, appUrl)
  await expect.poll(() => status(page)).toBe('authenticated')
  return page
}

async function openTabs(n: number): Promise<Page[]> {
  const pages: Page[] = []
  for (let i = 0; i < n; i++) {
    const p = await context.newPage()
    await p.goto(appUrl)
    await expect.poll(() => status(p)).toBe('authenticated')
    pages.push(p)
  }
  return pages
}

describe('refresh across tabs (IndexedDB)', () => {
  it('5 tabs through 3 expiries: one refresh grant per expiry, no reuse, every tab on the same token', async () => {
    await setAccessTokenTtl(issuer, 6) // renewed after 87.5-90 % of its life, so about every 5.3 s
    const first = await signIn('indexeddb')
    const tabs = [first, ...(await openTabs(4))]
    const started = Date.now()
    await expect.poll(async () => (await providerStats(issuer)).grants.refresh_token ?? 0, { timeout: 30_000, interval: 200 }).toBeGreaterThanOrEqual(3)
    const elapsedS = (Date.now() - started) / 1000
    const stats = await providerStats(issuer)
    expect(stats.refreshTokenReuse).toBe(0)
    expect(stats.grantErrors).toEqual([])
    // One grant per expiry: a token lives 6 s and is renewed no earlier than 2.25 s into its life.
    expect(stats.grants.refresh_token).toBeLessThanOrEqual(Math.ceil(elapsedS / 2.25) + 1)
    await expect
      .poll(async () => new Set(await Promise.all(tabs.map(expiresAt))).size, { timeout: 2_000, interval: 100 })
      .toBe(1)
    for (const t of tabs) expect(await status(t)).toBe('authenticated')
  })

  it('a network cut during refresh keeps the session; it recovers when the network returns', async () => {
    await setAccessTokenTtl(issuer, 6)
    const page = await signIn('indexeddb')
    const [other] = await openTabs(1)
    await context.setOffline(true)
    await expect.poll(() => testId(page, 'warning-code').textContent(), { timeout: 10_000 }).toMatch(/ERR_NETWORK|ERR_REFRESH_FAILED/)
    await page.waitForTimeout(4_000) // the access token has expired by now
    expect(await status(page)).toBe('authenticated')
    expect(await status(other!)).toBe('authenticated')
    const before = (await providerStats(issuer)).grants.refresh_token ?? 0
    await context.setOffline(false)
    await expect.poll(() => testId(page, 'warning-code').textContent(), { timeout: 15_000 }).toBe('')
    expect(((await providerStats(issuer)).grants.refresh_token ?? 0) - before).toBeGreaterThanOrEqual(1)
    expect(await expiresAt(page)).toBeGreaterThan(Date.now())
    expect((await providerStats(issuer)).refreshTokenReuse).toBe(0)
  })

  it('a refresh token revoked at the provider signs every tab out with ERR_SESSION_EXPIRED', async () => {
    await setAccessTokenTtl(issuer, 6)
    const tabs = [await signIn('indexeddb'), ...(await openTabs(2))]
    await revokeAll(issuer)
    for (const t of tabs) {
      await expect.poll(() => status(t), { timeout: 15_000 }).toBe('unauthenticated')
      expect(await testId(t, 'error-code').textContent()).toBe('ERR_SESSION_EXPIRED')
    }
  })

  it('logout in one tab signs every tab out within a second', async () => {
    const page = await signIn('indexeddb')
    const others = await openTabs(2)
    await testId(page, 'logout').click()
    const clicked = Date.now()
    for (const t of others) await expect.poll(() => status(t), { timeout: 1_000, interval: 50 }).toBe('unauthenticated')
    expect(Date.now() - clicked).toBeLessThan(1_000)
    await confirmProviderLogout(page, issuer, appUrl)
    await expect.poll(() => status(page)).toBe('unauthenticated')
  })
})

describe('duplicated tab with sessionStorage', () => {
  it('the copy drops the copied refresh token, so no refresh token is ever used twice', async () => {
    await setAccessTokenTtl(issuer, 6)
    const page = await signIn('session')
    // window.open without noopener copies sessionStorage, like the browser's "Duplicate tab".
    const [copy] = await Promise.all([context.waitForEvent('page'), page.evaluate(() => void window.open(location.href))])
    await copy.waitForLoadState()
    await expect.poll(() => status(copy)).toBe('authenticated')
    const refreshTokenIn = (p: Page) =>
      p.evaluate(() => {
        const key = Object.keys(sessionStorage).find((k) => k.endsWith(':session'))
        return key ? (JSON.parse(sessionStorage.getItem(key)!) as { refreshToken?: string }).refreshToken ?? null : null
      })
    await expect.poll(() => refreshTokenIn(copy)).toBeNull()
    expect(await refreshTokenIn(page)).not.toBeNull()
    await expect.poll(async () => (await providerStats(issuer)).grants.refresh_token ?? 0, { timeout: 20_000 }).toBeGreaterThanOrEqual(2)
    const stats = await providerStats(issuer)
    expect(stats.refreshTokenReuse).toBe(0)
    expect(stats.grantErrors).toEqual([])
    expect(await status(page)).toBe('authenticated')
  })
})

describe('sleep', () => {
  it('the clock moved past expiry while the page slept: refreshed at once on focus', async () => {
    await setAccessTokenTtl(issuer, 600)
    const page = await context.newPage()
    await page.clock.install()
    await page.goto(`${appUrl}/?storage=indexeddb`)
    await testId(page, 'login').click()
    await page.waitForURL((url) => url.href.startsWith(issuer))
    await loginAtProvider(page, appUrl)
    await expect.poll(() => status(page)).toBe('authenticated')
    const before = (await providerStats(issuer)).grants.refresh_token ?? 0
    // Jump the wall clock 20 minutes without running timers, as a laptop lid does.
    await page.clock.setSystemTime(Date.now() + 20 * 60_000)
    await page.evaluate(() => window.dispatchEvent(new Event('focus')))
    await expect.poll(async () => (await providerStats(issuer)).grants.refresh_token ?? 0, { timeout: 3_000 }).toBe(before + 1)
    await expect.poll(() => testId(page, 'error-code').textContent()).toBe('')
    expect(await status(page)).toBe('authenticated')
  })
})
