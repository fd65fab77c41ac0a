// Sign in again in place (issue 24), in the React and Vue example apps (history mode): a user
// types into a form on a protected route, the provider revokes the session, the next renewal is
// refused: the page stays with a "you were signed out" prompt and no tab goes to the provider;
// signing in again by popup carries on with the text still there, in every tab; a different
// user gets a fresh page. Short-lived access tokens, so the refused renewal comes within seconds.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { launchBrowser, newContext, testId } from './support/browser'
import { resetProvider, revokeAll, setAccessTokenTtl } from './support/provider'
import { DEFAULT_ACCESS_TOKEN_TTL } from './support/useBrowser'

const issuer = inject('issuer')
const examples = inject('examples')
const ROUTE = '/orders/7?tab=items#total'

const apps = [
  { name: 'React (react-router, history)', origin: examples.react },
  { name: 'Vue (vue-router, history)', origin: examples.vue },
]

let browser: Browser
let context: BrowserContext
/** Authorization requests the browser started, with when. */
let authorizeRequests: { at: number; url: string }[]

beforeAll(async () => {
  browser = await launchBrowser({ popupBlocking: true })
})
afterAll(async () => {
  await browser?.close()
})
beforeEach(async () => {
  context = await newContext(browser)
  authorizeRequests = []
  context.on('request', (r) => {
    if (r.url().startsWith(`${issuer}/auth`) && !r.url().startsWith(`${issuer}/auth/`)) authorizeRequests.push({ at: Date.now(), url: r.url() })
  })
  await resetProvider(issuer)
  await setAccessTokenTtl(issuer, 6)
})
afterEach(async () => {
  await context?.close()
  await setAccessTokenTtl(issuer, DEFAULT_ACCESS_TOKEN_TTL)
})

const text = (p: Page, id: string) => testId(p, id).textContent()

async function providerForm(p: Page, login: string): Promise<void> {
  await p.locator('input[name="login"]').fill(login)
  await p.locator('input[name="password"]').fill('secret')
  await p.locator('button[type="submit"]').click()
}

/**
 * The provider ends the session as an idle timeout does: the grants are revoked and its own
 * browser session is gone (its cookies; the apps keep nothing in cookies).
 */
async function providerEndsSession(): Promise<void> {
  await revokeAll(issuer)
  await context.clearCookies()
}

/** Signed in by redirect, on the protected route, with a note typed. */
async function onProtectedRoute(origin: string, note: string): Promise<Page> {
  const p = await context.newPage()
  await p.goto(`${origin}${examples.base}${ROUTE.slice(1)}`)
  await p.waitForURL((url) => url.href.startsWith(issuer))
  await providerForm(p, 'alice')
  await testId(p, 'protected').waitFor()
  await testId(p, 'note').fill(note)
  return p
}

/** "Sign in again" on the prompt, and the provider's form in the popup. */
async function signInAgain(p: Page, login: string): Promise<void> {
  const opened = p.waitForEvent('popup')
  await testId(p, 'sign-in-again').click()
  const popup = await opened
  await popup.waitForURL((url) => url.href.startsWith(issuer))
  const closed = popup.waitForEvent('close', { timeout: 15_000 })
  await providerForm(popup, login)
  await closed
}

const route = (p: Page) => {
  const u = new URL(p.url())
  return u.pathname.slice(examples.base.length - 1) + u.search + u.hash
}

describe.each(apps)('$name', (app) => {
  it('the provider ends the session while the user types: the page stays with a prompt, a popup sign-in carries on, the text is still there', { timeout: 60_000 }, async () => {
    const page = await onProtectedRoute(app.origin, 'Dear team, the quarterly numbers are')
    const before = authorizeRequests.length
    await providerEndsSession()
    const revokedAt = Date.now()
    await testId(page, 'session-ended').waitFor({ timeout: 15_000 })
    const promptAt = Date.now()
    expect(await text(page, 'status')).toBe('unauthenticated')
    // Seconds later: still on the page, nothing sent to the provider, the text where it was.
    await page.waitForTimeout(3_000)
    expect(route(page)).toBe(ROUTE)
    expect(authorizeRequests.length - before).toBe(0)
    expect(await testId(page, 'note').inputValue()).toBe('Dear team, the quarterly numbers are')
    await signInAgain(page, 'alice')
    await expect.poll(() => text(page, 'status')).toBe('authenticated')
    await expect.poll(() => testId(page, 'session-ended').count()).toBe(0)
    expect(await testId(page, 'note').inputValue()).toBe('Dear team, the quarterly numbers are')
    expect(route(page)).toBe(ROUTE)
    console.log(`[measure] ${app.name}: prompt ${promptAt - revokedAt} ms after the revocation (renewal every ~5 s); authorization requests until the user acted: 0`)
  })

  it('a different user signing in over the kept page gets a fresh page: the previous text is gone', { timeout: 60_000 }, async () => {
    const page = await onProtectedRoute(app.origin, 'private to alice')
    await providerEndsSession()
    await testId(page, 'session-ended').waitFor({ timeout: 15_000 })
    await signInAgain(page, 'bob')
    await expect.poll(() => text(page, 'user-name')).toBe('Bob')
    await expect.poll(() => testId(page, 'note').inputValue()).toBe('')
    expect(await testId(page, 'protected').textContent()).not.toContain('alice')
  })

  it('two tabs on protected routes: both keep their page and send nothing; one sign-in restores both', { timeout: 60_000 }, async () => {
    const a = await onProtectedRoute(app.origin, 'tab A text')
    const b = await context.newPage()
    await b.goto(`${app.origin}${examples.base}orders/8`)
    await testId(b, 'protected').waitFor()
    await testId(b, 'note').fill('tab B text')
    const before = authorizeRequests.length
    await providerEndsSession()
    await testId(a, 'session-ended').waitFor({ timeout: 15_000 })
    await testId(b, 'session-ended').waitFor({ timeout: 5_000 })
    await a.waitForTimeout(2_000)
    expect(authorizeRequests.length - before).toBe(0)
    await signInAgain(a, 'alice')
    for (const [p, note] of [[a, 'tab A text'], [b, 'tab B text']] as const) {
      await expect.poll(() => text(p, 'status')).toBe('authenticated')
      await expect.poll(() => testId(p, 'session-ended').count()).toBe(0)
      expect(await testId(p, 'note').inputValue()).toBe(note)
    }
    expect(authorizeRequests.length - before).toBe(1)
  })

  it("with onSessionEnd: 'login' (the opt-in), the behaviour before: the page goes and the browser goes to the provider", { timeout: 60_000 }, async () => {
    await context.addInitScript(() => localStorage.setItem('tk-example-on-session-end', 'login'))
    const page = await onProtectedRoute(app.origin, 'lost on purpose')
    const before = authorizeRequests.length
    await providerEndsSession()
    await page.waitForURL((url) => url.href.startsWith(issuer), { timeout: 15_000 })
    expect(authorizeRequests.length - before).toBe(1)
  })
})
