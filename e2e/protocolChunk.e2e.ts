// The page loads the session, not the protocol: a returning visitor is signed in from storage
// alone, the protocol's chunk (login, callback, renewal, logout) loads once in idle time, and a
// chunk that cannot be fetched (offline, a redeploy) costs no session.
import type { Page, Request } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { loginAtProvider, testId } from './support/browser'
import { providerStats, setAccessTokenTtl } from './support/provider'
import { context, useBrowser } from './support/useBrowser'

const issuer = inject('issuer')
const appUrl = inject('appUrl')

useBrowser({ page: false, restoreTtl: true })

/** The built demo's protocol chunk (Vite names it after protocol/protocol.ts). */
const PROTOCOL_CHUNK = /\/assets\/protocol-[^/]+\.js$/
const status = (p: Page) => testId(p, 'status').textContent()
const refreshGrants = async () => (await providerStats(issuer)).grants.refresh_token ?? 0

async function signIn(page: Page): Promise<void> {
  await page.goto(`${appUrl}/?storage=indexeddb`)
  await expect.poll(() => status(page)).toBe('unauthenticated')
  await testId(page, 'login').click()
  await page.waitForURL((url) => url.href.startsWith(issuer))
  await loginAtProvider(page)
  await expect.poll(() => status(page)).toBe('authenticated')
}

describe('the protocol loads when used', () => {
  it('with the protocol chunk unreachable: a stored session is shown, login() rejects with ERR_NETWORK, and the renewal succeeds once the chunk loads', async () => {
    // Tokens that live 12 s: the renewal falls due while the chunk cannot be fetched.
    await setAccessTokenTtl(issuer, 12)
    const first = await context.newPage()
    await signIn(first)
    await first.close()

    let blocked = true
    let aborted = 0
    await context.route(PROTOCOL_CHUNK, (route) => {
      if (!blocked) return route.continue()
      aborted += 1
      return route.abort('internetdisconnected')
    })

    // A returning visitor: restored from storage, with no protocol code.
    const page = await context.newPage()
    await page.goto(appUrl)
    await expect.poll(() => status(page)).toBe('authenticated')
    expect(await testId(page, 'user-name').textContent()).toBe('Alice')
    // The idle preload tried and failed, silently.
    await expect.poll(() => aborted).toBeGreaterThan(0)
    const grants = await refreshGrants()

    // The renewal falls due (at about 90 % of the lifetime): it fails like a network failure and
    // the session stays.
    await page.waitForTimeout(13_000)
    expect(await status(page)).toBe('authenticated')
    expect(await refreshGrants()).toBe(grants)

    blocked = false
    // The retry loads the chunk and renews: one refresh grant, still signed in.
    await expect.poll(refreshGrants, { timeout: 20_000 }).toBe(grants + 1)
    await expect.poll(() => status(page)).toBe('authenticated')
  }, 90_000)

  it('a signed-out visitor clicking "Log in" while the chunk is unreachable gets ERR_NETWORK and stays on the page', async () => {
    await context.route(PROTOCOL_CHUNK, (route) => route.abort('internetdisconnected'))
    const page = await context.newPage()
    await page.goto(appUrl)
    await expect.poll(() => status(page)).toBe('unauthenticated')
    await testId(page, 'login').click()
    await expect.poll(() => testId(page, 'login-result').textContent()).toBe('ERR_NETWORK')
    expect(page.url().startsWith(appUrl)).toBe(true)
    expect((await providerStats(issuer)).authorizations.total).toBe(0)
  })

  it('a page that sits idle after start renews without fetching any code at renewal time', async () => {
    await setAccessTokenTtl(issuer, 10)
    const first = await context.newPage()
    await signIn(first)
    await first.close()

    const page = await context.newPage()
    const scripts: { url: string; at: number }[] = []
    page.on('request', (r: Request) => {
      if (r.resourceType() === 'script' || r.url().endsWith('.js')) scripts.push({ url: r.url(), at: Date.now() })
    })
    await page.goto(appUrl)
    await expect.poll(() => status(page)).toBe('authenticated')
    // Loaded once the page was idle, long before any renewal.
    await expect.poll(() => scripts.some((s) => PROTOCOL_CHUNK.test(s.url))).toBe(true)
    const settled = scripts.length
    const grants = await refreshGrants()
    const idleSince = Date.now()

    await expect.poll(refreshGrants, { timeout: 20_000 }).toBeGreaterThan(grants)
    expect(await status(page)).toBe('authenticated')
    // Nothing was fetched for it: the renewal ran on code the page already held.
    expect(scripts.slice(settled).filter((s) => s.at >= idleSince)).toEqual([])
  }, 60_000)
})
