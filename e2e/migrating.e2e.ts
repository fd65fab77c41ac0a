// What an app migrating from auth0-react / auth0-vue meets (issue 23), in the example apps
// (examples/react-router, examples/vue-router), driven as a person would:
// - the Vue app on hash history, signed out, follows a link or an edited hash to a protected
//   route: the provider's sign-in page shows, and the user comes back to that route;
// - Back after a logout at the provider replays nothing and leaves no `?state=` behind;
// - the provider's token endpoint unreachable for 25 s around a renewal: the React app keeps
//   its signed-in page (no error on screen, a quiet warning), and shows the session ending only
//   when the provider really ends it.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { confirmProviderLogout, launchBrowser, newContext, testId } from './support/browser'
import { providerStats, resetProvider, revokeAll, setAccessTokenTtl } from './support/provider'
import { DEFAULT_ACCESS_TOKEN_TTL } from './support/useBrowser'

const issuer = inject('issuer')
const examples = inject('examples')

const DEEP = '/orders/7?tab=items#total'
const reactUrl = (route: string) => `${examples.react}${examples.base}${route.replace(/^\//, '')}`
const hashUrl = (route: string) => `${examples.vue}${examples.base}hash.html#${route}`
const hashRoute = (page: Page) => new URL(page.url()).hash.slice(1) || '/'
const onProvider = (url: URL) => url.href.startsWith(issuer)

let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  browser = await launchBrowser({ popupBlocking: true, backForwardCache: true })
})
afterAll(async () => {
  await browser?.close()
})
beforeEach(async () => {
  context = await newContext(browser)
  page = await context.newPage()
  if (process.env.TK_E2E_DEBUG) page.on('console', (m) => console.log(`[page] ${m.text()}`))
  await resetProvider(issuer)
})
afterEach(async () => {
  await context?.close()
  await setAccessTokenTtl(issuer, DEFAULT_ACCESS_TOKEN_TTL)
})

const text = (id: string) => testId(page, id).textContent()

/** Fills the provider's sign-in form and waits to be back on `origin`. */
async function signInAtProvider(origin: string): Promise<void> {
  await page.waitForURL(onProvider)
  await page.locator('input[name="login"]').fill('alice')
  await page.locator('input[name="password"]').fill('secret')
  await page.locator('button[type="submit"]').click()
  await page.waitForURL((url) => url.origin === origin)
}

describe('Vue app on hash history, signed out', () => {
  beforeEach(async () => {
    await page.goto(hashUrl('/'))
    await expect.poll(() => text('status')).toBe('unauthenticated')
  })

  it('a plain link to a protected route reaches the provider’s sign-in page and comes back to the route', async () => {
    // An <a href="#/..."> in the page's content (not a RouterLink): the browser changes the hash,
    // vue-router hears popstate. Settling that navigation made vue-router step back and abort
    // the redirect.
    await page.evaluate(() => {
      const link = Object.assign(document.createElement('a'), { href: '#/orders/5', textContent: 'Order 5' })
      document.body.append(link)
    })
    await page.getByRole('link', { name: 'Order 5' }).click()
    await signInAtProvider(examples.vue)
    await testId(page, 'protected').waitFor()
    expect(hashRoute(page)).toBe('/orders/5')
  })

  it('a RouterLink to a protected route reaches the provider’s sign-in page and comes back to the route', async () => {
    await page.getByRole('link', { name: 'Orders (protected)' }).click()
    await signInAtProvider(examples.vue)
    await testId(page, 'protected').waitFor()
    expect(hashRoute(page)).toBe(DEEP)
    expect(await text('status')).toBe('authenticated')
  })

  it('an edited hash (the address bar) reaches the provider’s sign-in page and comes back to the route', async () => {
    // What typing a new hash into the address bar does: a same-document navigation, no load.
    await page.evaluate((hash) => void (location.hash = hash), '#/orders/9')
    await signInAtProvider(examples.vue)
    await testId(page, 'protected').waitFor()
    expect(hashRoute(page)).toBe('/orders/9')
  })
})

describe('Back after a logout at the provider (React app)', () => {
  it('the provider’s page, replayed, brings the user back with no ?state= and no error; Back never reaches the page that started the logout', async () => {
    await page.goto(reactUrl('/'))
    await expect.poll(() => text('status')).toBe('unauthenticated')
    await testId(page, 'login').click()
    await signInAtProvider(examples.react)
    // Client-side, as a person goes there (page.goto with a hash adds an entry of its own).
    await page.getByRole('link', { name: 'Orders (protected)' }).click()
    await testId(page, 'protected').waitFor()
    await testId(page, 'logout').click()
    await confirmProviderLogout(page, issuer, examples.react)
    await expect.poll(() => text('status')).toBe('unauthenticated')
    expect(new URL(page.url()).search).toBe('')

    // Back: the provider's logout page (its confirmation was a page of its own in history).
    await page.goBack({ waitUntil: 'commit' })
    await page.waitForURL((url) => onProvider(url) || url.origin === examples.react)
    if (onProvider(new URL(page.url()))) {
      // The user confirms again, or the provider, with no session left, sends them on at once:
      // either way the app gets the same state back. It is removed quietly.
      await confirmProviderLogout(page, issuer, examples.react)
    }
    await expect.poll(() => text('status')).toBe('unauthenticated')
    expect(new URL(page.url()).searchParams.has('state')).toBe(false)
    expect(await testId(page, 'error-code').count()).toBe(0)

    // Further Back: the page that started the logout was replaced by the provider's, so Back
    // goes past it, never to the protected page (which, signed out, would send the user to the
    // provider's sign-in at every Back: the tab could not go back past it).
    // Every address the tab shows on the way, redirects included.
    const visited: string[] = []
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visited.push(frame.url())
    })
    for (let i = 0; i < 4; i++) {
      await page.goBack({ waitUntil: 'commit' }).catch(() => null)
      await page.waitForTimeout(500)
    }
    if (process.env.TK_E2E_DEBUG) console.log('[back after logout]', visited)
    expect(visited.length).toBeGreaterThan(0)
    expect(visited.filter((url) => url.startsWith(reactUrl('/orders')))).toEqual([])
    expect(await testId(page, 'protected').count()).toBe(0)
  })
})

describe('the provider unreachable for 25 s around a renewal (React app, written as its README says)', () => {
  it('keeps the signed-in page, shows no error, renews afterwards, and shows the session ending only when the provider ends it', async () => {
    // A 30 s access token: renewal due ~27 s after sign-in; the outage covers it and the expiry.
    await setAccessTokenTtl(issuer, 30)
    await page.goto(reactUrl('/'))
    await expect.poll(() => text('status')).toBe('unauthenticated')
    await testId(page, 'login').click()
    await signInAtProvider(examples.react)
    const signedInAt = Date.now()
    await expect.poll(() => text('status')).toBe('authenticated')
    await page.getByRole('link', { name: 'Orders (protected)' }).click()
    await testId(page, 'protected').waitFor()

    // What a person would see, sampled on every change of the page.
    await page.evaluate(() => {
      const seen = { errors: [] as string[], protectedGone: false, warnings: 0 }
      ;(window as unknown as { __seen: typeof seen }).__seen = seen
      new MutationObserver(() => {
        const error = document.querySelector('[data-testid="error-code"]')?.textContent
        if (error && seen.errors.at(-1) !== error) seen.errors.push(error)
        if (!document.querySelector('[data-testid="protected"]')) seen.protectedGone = true
        if (document.querySelector('[data-testid="warning"]')) seen.warnings += 1
      }).observe(document, { subtree: true, childList: true, characterData: true })
    })
    const seen = () => page.evaluate(() => (window as unknown as { __seen: { errors: string[]; protectedGone: boolean; warnings: number } }).__seen)

    await page.waitForTimeout(Math.max(0, signedInAt + 20_000 - Date.now()))
    const down = (url: URL) => url.href === `${issuer}/token`
    await context.route(down, (route) => route.abort('connectionrefused'))
    await page.waitForTimeout(25_000)
    await context.unroute(down)
    const during = await seen()
    // Nothing changed on screen but a quiet warning: the renewal did fail meanwhile.
    expect(during.errors).toEqual([])
    expect(during.protectedGone).toBe(false)
    expect(during.warnings).toBeGreaterThan(0)
    expect(await text('status')).toBe('authenticated')

    // Back by itself: the retry renews the session and the warning goes.
    await expect.poll(() => testId(page, 'warning').count(), { timeout: 75_000, interval: 1_000 }).toBe(0)
    expect(await seen()).toMatchObject({ errors: [], protectedGone: false })

    // Now the provider really ends the session: the app says so at the next renewal.
    await page.getByRole('link', { name: 'Home' }).click()
    await revokeAll(issuer)
    await expect.poll(() => text('status'), { timeout: 45_000, interval: 500 }).toBe('unauthenticated')
    expect(await text('error-code')).toBe('ERR_SESSION_EXPIRED')
  }, 240_000)
})
