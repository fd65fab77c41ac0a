// React 19 + react-router 7 and Vue 3.5 + vue-router 4 apps written as the README says
// (examples/react-router, examples/vue-router: history mode under a base path, StrictMode,
// IndexedDB; the Vue app also on hash history), driven as a person would: sign in from home and
// from deep links, reload, log out on a protected page, press Back, use two tabs, refuse at the
// provider. What must never happen: a login loop, a login racing a logout, protected content on
// screen without a session, a page stuck on the callback route.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { confirmProviderLogout, launchBrowser, newContext, testId } from './support/browser'
import { providerStats, resetProvider, setIdTokenProfileClaims } from './support/provider'

const issuer = inject('issuer')
const examples = inject('examples')

interface App {
  name: string
  origin: string
  /** The address of a route (router path + query + hash). */
  url(route: string): string
  /** The route the page shows, read from the address bar. */
  route(page: Page): string
  /** Where a callback lands before start() moves on. */
  callbackPath: string
}

const historyApp = (name: string, origin: string): App => ({
  name,
  origin,
  url: (route) => `${origin}${examples.base}${route.replace(/^\//, '')}`,
  route: (page) => {
    const u = new URL(page.url())
    return (u.pathname.slice(examples.base.length - 1) || '/') + u.search + u.hash
  },
  callbackPath: `${examples.base}callback`,
})

const hashApp = (name: string, origin: string): App => ({
  name,
  origin,
  url: (route) => `${origin}${examples.base}hash.html#${route}`,
  route: (page) => new URL(page.url()).hash.slice(1) || '/',
  callbackPath: `${examples.base}hash.html`,
})

const apps: App[] = [
  historyApp('React (react-router, history)', examples.react),
  historyApp('Vue (vue-router, history)', examples.vue),
  hashApp('Vue (vue-router, hash)', examples.vue),
]

const DEEP = '/orders/7?tab=items#total'

let browser: Browser
let context: BrowserContext
let page: Page
/** Authorization requests the browser started (even ones a navigation cut off before the provider saw them). */
let authorizeRequests: string[]

beforeAll(async () => {
  browser = await launchBrowser({ popupBlocking: true, backForwardCache: true })
})
afterAll(async () => {
  await browser?.close()
})
beforeEach(async () => {
  context = await newContext(browser)
  page = await context.newPage()
  authorizeRequests = []
  context.on('request', (request) => {
    if (request.url().startsWith(`${issuer}/auth`) && !request.url().startsWith(`${issuer}/auth/`)) authorizeRequests.push(request.url())
  })
  if (process.env.TK_E2E_DEBUG) page.on('console', (m) => console.log(`[page] ${m.text()}`))
  await resetProvider(issuer)
})
afterEach(async () => {
  await context?.close()
})

const text = (id: string, p: Page = page) => testId(p, id).textContent()
/** What an element says right now, or null (no waiting: the page may be leaving). */
const peek = (id: string, p: Page = page) => testId(p, id).textContent({ timeout: 500 }).catch(() => null)
const authorizations = async () => (await providerStats(issuer)).authorizations.total
const onProvider = (url: URL) => url.href.startsWith(issuer)

/** Fills the provider's login form (any login works) and waits to be back on `app`. */
async function signIn(app: App, p: Page = page, login = 'alice'): Promise<void> {
  await p.waitForURL(onProvider)
  await p.locator('input[name="login"]').fill(login)
  await p.locator('input[name="password"]').fill('secret')
  await p.locator('button[type="submit"]').click()
  await p.waitForURL((url) => url.origin === app.origin)
}

/** Signs in from home with the button and waits until the app says so. */
async function signInFromHome(app: App, p: Page = page): Promise<void> {
  await p.goto(app.url('/'))
  await expect.poll(() => text('status', p)).toBe('unauthenticated')
  await testId(p, 'login').click()
  await signIn(app, p)
  await expect.poll(() => text('status', p)).toBe('authenticated')
}

interface Watch {
  /** When protected content first showed, ms after navigation start. */
  shownAt: number | null
  /** For each restore from the back/forward cache: was protected content on screen at pageshow? */
  shownAtRestore: boolean[]
  /** Every status the page showed, in order. */
  statuses: string[]
}

/** Watches, from the first script of every document, what a person would see. */
async function watchPage(p: Page): Promise<void> {
  await p.addInitScript(() => {
    const watch: Watch = { shownAt: null, shownAtRestore: [], statuses: [] }
    ;(window as unknown as { __tk: Watch }).__tk = watch
    const visible = () => document.querySelector('[data-testid="protected"]') !== null
    addEventListener('pageshow', (e) => {
      if (!e.persisted) return
      watch.shownAtRestore.push(visible())
      // Told to the test as well: the page may leave (a new login) before it can be asked.
      void (window as unknown as { __tkRestored?: (shown: boolean) => void }).__tkRestored?.(visible())
    })
    new MutationObserver(() => {
      const status = document.querySelector('[data-testid="status"]')?.textContent
      if (status && watch.statuses.at(-1) !== status) watch.statuses.push(status)
      if (watch.shownAt === null && visible()) watch.shownAt = performance.now()
    }).observe(document, { subtree: true, childList: true, characterData: true })
  })
}

const watched = (p: Page = page) => p.evaluate(() => (window as unknown as { __tk: Watch }).__tk)

/**
 * Clicks "Log out" from inside the page and measures how long protected content stays on
 * screen after the click (ms). Infinity when it was still there as the page left.
 */
async function logoutAndMeasure(p: Page): Promise<number> {
  try {
    return await p.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const clickedAt = performance.now()
          const gone = () => document.querySelector('[data-testid="protected"]') === null
          const observer = new MutationObserver(() => {
            if (!gone()) return
            observer.disconnect()
            resolve(performance.now() - clickedAt)
          })
          observer.observe(document, { subtree: true, childList: true })
          ;(document.querySelector('[data-testid="logout"]') as HTMLButtonElement).click()
          if (gone()) resolve(performance.now() - clickedAt)
        }),
    )
  } catch {
    return Number.POSITIVE_INFINITY // the page navigated away with the content still showing
  }
}

/** Numbers for the report, printed once per run. */
const measured: Record<string, Record<string, number[]>> = {}
function note(app: App, what: string, value: number): void {
  ;((measured[app.name] ??= {})[what] ??= []).push(Math.round(value * 10) / 10)
}
afterAll(() => {
  if (Object.keys(measured).length) console.log(`[routers] measured: ${JSON.stringify(measured)}`)
})

describe.each(apps)('$name', (app) => {
  it('logs in from the home page and comes back home, once, without a redirect loop', async () => {
    await signInFromHome(app)
    expect(app.route(page)).toBe('/')
    await testId(page, 'home').waitFor()
    expect(await text('user-name')).toBe('Alice')
    await page.waitForTimeout(500)
    expect(await authorizations()).toBe(1)
    expect(app.route(page)).toBe('/')
  })

  it('opens a deep link with query and hash through the provider and lands on exactly it', async () => {
    await page.goto(app.url(DEEP))
    await signIn(app)
    await testId(page, 'protected').waitFor()
    expect(app.route(page)).toBe(DEEP)
    expect(await text('location')).toBe(DEEP)
    const address = new URL(page.url())
    expect(address.searchParams.has('code') || address.searchParams.has('state')).toBe(false)
    expect(await authorizations()).toBe(1)
  })

  it('reloads a protected route with no provider request and no signed-out flash', async () => {
    await watchPage(page)
    await signInFromHome(app)
    await page.goto(app.url(DEEP))
    await testId(page, 'protected').waitFor()
    const requests = (await providerStats(issuer)).requests
    await page.reload()
    await testId(page, 'protected').waitFor()
    expect(app.route(page)).toBe(DEEP)
    expect((await providerStats(issuer)).requests).toBe(requests)
    const seen = await watched()
    expect(seen.statuses).not.toContain('unauthenticated')
    expect(seen.statuses.at(-1)).toBe('authenticated')
    note(app, 'reloadToProtectedMs', seen.shownAt!)
  })

  it('logs out on a protected page: the content goes at once, and no login starts', async () => {
    await signInFromHome(app)
    await page.goto(app.url(DEEP))
    await testId(page, 'protected').waitFor()
    const before = await authorizations()
    const started = authorizeRequests.length
    const visibleMs = await logoutAndMeasure(page)
    await confirmProviderLogout(page, issuer, app.origin)
    await expect.poll(() => text('status')).toBe('unauthenticated')
    await page.waitForTimeout(500)
    const stats = await providerStats(issuer)
    note(app, 'authorizationsAfterLogout', stats.authorizations.total - before)
    note(app, 'authorizeRequestsStartedAfterLogout', authorizeRequests.length - started)
    note(app, 'protectedVisibleAfterLogoutMs', visibleMs)
    expect(stats.authorizations.total - before).toBe(0)
    expect(authorizeRequests.length - started).toBe(0)
    expect(stats.endSessions).toBe(1)
    expect(stats.revocations).toBe(1)
    // Gone before the page left for the provider (measured in the page; a bound, not a timing test).
    expect(visibleMs).toBeLessThan(Number.POSITIVE_INFINITY)
  })

  it('Back after a logout never shows the protected page, and nothing is stuck', async () => {
    const restores: boolean[] = []
    await page.exposeFunction('__tkRestored', (shown: boolean) => void restores.push(shown))
    await watchPage(page)
    await signInFromHome(app)
    await page.goto(app.url(DEEP))
    await testId(page, 'protected').waitFor()
    const protectedEntry = await page.evaluate(() => history.length)
    await testId(page, 'logout').click()
    await confirmProviderLogout(page, issuer, app.origin)
    await expect.poll(() => text('status')).toBe('unauthenticated')
    const before = await authorizations()
    // Back to the protected page's entry in one step: the provider's logout page in between
    // would only send the browser on to the app again (it has no session to end any more).
    const steps = protectedEntry - (await page.evaluate(() => history.length))
    const cdp = process.env.TK_E2E_DEBUG ? await context.newCDPSession(page) : undefined
    if (cdp) {
      await cdp.send('Page.enable')
      cdp.on('Page.backForwardCacheNotUsed', (e) => console.log('[bfcache not used]', JSON.stringify(e.notRestoredExplanations)))
    }
    const arrived = page.waitForEvent('framenavigated', { timeout: 10_000 })
    await page.evaluate((n) => history.go(n), steps)
    await arrived
    // Signed out, the app either shows a public page with a working login, or (a protected
    // page's guard) starts one new login. It never shows protected content, not even as the
    // page comes back from the back/forward cache.
    await expect
      .poll(async () => onProvider(new URL(page.url())) || ((await peek('status')) === 'unauthenticated' && (await testId(page, 'login').isEnabled({ timeout: 500 }).catch(() => false))))
      .toBe(true)
    if (new URL(page.url()).origin === app.origin) expect(await testId(page, 'protected').count()).toBe(0)
    expect(restores).not.toContain(true)
    note(app, 'backRestoredFromCache', restores.length)
    await page.waitForTimeout(500)
    expect(await authorizations()).toBeLessThanOrEqual(before + 1)
  })

  it('two tabs: the second shows the protected page without asking the provider; a logout in the first clears it without a login', async () => {
    await signInFromHome(app)
    const second = await context.newPage()
    await second.goto(app.url(DEEP))
    await testId(second, 'protected').waitFor()
    expect(await authorizations()).toBe(1)
    await testId(page, 'logout').click()
    await expect.poll(() => testId(second, 'protected').count()).toBe(0)
    await confirmProviderLogout(page, issuer, app.origin)
    await page.waitForTimeout(1000)
    expect(await authorizations()).toBe(1)
    expect(new URL(second.url()).origin).toBe(app.origin)
    expect(await text('status', second)).toBe('unauthenticated')
    await second.close()
  })

  it('a refusal at the provider leaves the callback route for the page the login began on, shows the error, and does not loop', async () => {
    await page.goto(app.url(DEEP))
    await page.waitForURL(onProvider)
    await page.locator('a', { hasText: 'Cancel' }).click()
    await page.waitForURL((url) => url.origin === app.origin)
    await expect.poll(() => text('error-code')).toBe('ERR_AUTHORIZATION')
    await page.waitForTimeout(1000)
    expect(await authorizations()).toBe(1)
    expect(new URL(page.url()).pathname + new URL(page.url()).search).not.toContain('callback')
    expect(new URL(page.url()).searchParams.has('error')).toBe(false)
    expect(await testId(page, 'protected').count()).toBe(0)
    // Logging in from where it left us comes back there, not to the callback route.
    const from = app.route(page)
    expect(from === DEEP || from === '/').toBe(true)
    await testId(page, 'login').click()
    await signIn(app)
    await expect.poll(() => text('status')).toBe('authenticated')
    expect(app.route(page)).toBe(from)
  })

  it('shows a name when the ID token carries no profile claims', async () => {
    await setIdTokenProfileClaims(issuer, false)
    await signInFromHome(app)
    expect(await text('user-name')).toBe('alice')
    expect(await text('logout')).toBe('Log out alice')
  })

  it('logs in with a popup without leaving the page', async () => {
    await page.goto(app.url('/'))
    await expect.poll(() => text('status')).toBe('unauthenticated')
    const before = page.url()
    const opened = page.waitForEvent('popup')
    await testId(page, 'login-popup').click()
    const popup = await opened
    const closed = popup.waitForEvent('close', { timeout: 15_000 })
    await popup.waitForURL(onProvider)
    await popup.locator('input[name="login"]').fill('alice')
    await popup.locator('input[name="password"]').fill('secret')
    await popup.locator('button[type="submit"]').click()
    await closed
    await expect.poll(() => text('status')).toBe('authenticated')
    expect(await text('user-name')).toBe('Alice')
    expect(page.url()).toBe(before)
  })
})
