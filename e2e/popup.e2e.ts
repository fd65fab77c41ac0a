// A person signs in through a popup, in a Chromium whose popup blocker is on (as in a user's
// browser), on the plain demo and on the demo served with Cross-Origin-Opener-Policy: same-origin.
import type { Page } from 'playwright-core'
import { beforeEach, describe, expect, inject, it } from 'vitest'
import { testId } from './support/browser'
import { providerStats } from './support/provider'
import { context, page, useBrowser } from './support/useBrowser'

const issuer = inject('issuer')
const appUrl = inject('appUrl')
const coopAppUrl = inject('coopAppUrl')

/** Which page sent each token-endpoint request: the opener must, the popup never. */
let tokenRequests: { fromOpener: boolean }[]

useBrowser({ launch: { popupBlocking: true } })
beforeEach(() => {
  tokenRequests = []
  context.on('request', (request) => {
    if (request.method() === 'POST' && request.url() === `${issuer}/token`) {
      tokenRequests.push({ fromOpener: request.frame().page() === page })
    }
  })
})

const status = (p: Page = page) => testId(p, 'status').textContent()
const loginResult = () => testId(page, 'login-result').textContent()

async function openApp(base: string, query = ''): Promise<void> {
  await page.goto(`${base}/?storage=session${query}`)
  await expect.poll(() => status()).toBe('unauthenticated')
}

/** Clicks "Log in with popup" and returns the popup once the provider's login form shows in it. */
async function clickLoginPopup(): Promise<Page> {
  const opened = page.waitForEvent('popup')
  await testId(page, 'login-popup').click()
  const popup = await opened
  await popup.waitForURL((url) => url.href.startsWith(issuer))
  await popup.locator('input[name="login"]').waitFor()
  return popup
}

/** Signs in on the provider's form inside the popup and waits for the popup to close itself. */
async function signInInPopup(popup: Page, login = 'alice'): Promise<void> {
  const closed = popup.waitForEvent('close', { timeout: 15_000 })
  await popup.locator('input[name="login"]').fill(login)
  await popup.locator('input[name="password"]').fill('secret')
  await popup.locator('button[type="submit"]').click()
  await closed
}

describe('popup login', () => {
  it('signs in without leaving the page; the opener exchanges the code; the popup closes itself', async () => {
    await openApp(appUrl, '#keep-me')
    const before = page.url()
    const popup = await clickLoginPopup()
    // Without COOP the popup still knows its opener.
    expect(await popup.evaluate(() => window.opener !== null)).toBe(true)
    await signInInPopup(popup)

    await expect.poll(() => status()).toBe('authenticated')
    expect(await testId(page, 'user-name').textContent()).toBe('Alice')
    expect(await loginResult()).toBe('ok')
    expect(page.url()).toBe(before) // never navigated
    expect(tokenRequests).toEqual([{ fromOpener: true }])
    expect((await providerStats(issuer)).grants.authorization_code).toBe(1)

    // The session is the one a redirect login stores: a reload restores it with no request.
    const requests = (await providerStats(issuer)).requests
    await page.reload()
    await expect.poll(() => status()).toBe('authenticated')
    expect((await providerStats(issuer)).requests).toBe(requests)
  })

  it('works when the app sends Cross-Origin-Opener-Policy: same-origin (BroadcastChannel path)', async () => {
    const response = await page.goto(`${coopAppUrl}/?storage=session`)
    expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin')
    await expect.poll(() => status()).toBe('unauthenticated')
    const popup = await clickLoginPopup()
    // COOP cut the link: the provider's page in the popup has no opener, and the opener's handle reads closed.
    expect(await popup.evaluate(() => window.opener === null)).toBe(true)
    await signInInPopup(popup)

    await expect.poll(() => status()).toBe('authenticated')
    expect(await testId(page, 'user-name').textContent()).toBe('Alice')
    expect(await loginResult()).toBe('ok')
    expect(tokenRequests).toEqual([{ fromOpener: true }])
  })

  it('a second click while the popup is open is refused, and the first login still finishes', async () => {
    await openApp(appUrl)
    const popup = await clickLoginPopup()
    await testId(page, 'login-popup').click()
    await expect.poll(() => loginResult()).toBe('ERR_POPUP_IN_PROGRESS')
    expect(context.pages()).toHaveLength(2)
    await signInInPopup(popup)
    await expect.poll(() => status()).toBe('authenticated')
    await expect.poll(() => loginResult()).toBe('ok')
  })
})

describe('popup login that does not finish', () => {
  it('the user closes the popup: ERR_POPUP_CLOSED within about a second, and trying again works', async () => {
    await openApp(appUrl)
    const popup = await clickLoginPopup()
    await popup.waitForTimeout(700) // a person needs a moment to decide against it
    const closedAt = Date.now()
    await popup.close()
    await expect.poll(() => loginResult(), { timeout: 3000, interval: 50 }).toBe('ERR_POPUP_CLOSED')
    const noticedMs = Date.now() - closedAt
    console.log(`[popup] closed popup noticed after ${noticedMs} ms`)
    expect(noticedMs).toBeLessThan(1500)
    expect(await testId(page, 'error-code').textContent()).toBe('ERR_POPUP_CLOSED')
    expect(await status()).toBe('unauthenticated')

    await signInInPopup(await clickLoginPopup())
    await expect.poll(() => status()).toBe('authenticated')
  })

  it('the user cancels at the provider: ERR_AUTHORIZATION with access_denied, no token request', async () => {
    await openApp(appUrl)
    const popup = await clickLoginPopup()
    const closed = popup.waitForEvent('close')
    await popup.getByText('[ Cancel ]').click()
    await closed
    await expect.poll(() => loginResult()).toBe('ERR_AUTHORIZATION')
    expect(await testId(page, 'error-message').textContent()).toContain('access_denied')
    expect(await status()).toBe('unauthenticated')
    expect(tokenRequests).toEqual([])
  })

  it('with COOP the close cannot be seen: the login ends at the configured timeout', async () => {
    await page.goto(`${coopAppUrl}/?storage=session&popupTimeout=4000`)
    await expect.poll(() => status()).toBe('unauthenticated')
    const startedAt = Date.now()
    const popup = await clickLoginPopup()
    await popup.close()
    await expect.poll(() => loginResult(), { timeout: 10_000, interval: 100 }).toBe('ERR_POPUP_TIMEOUT')
    const endedMs = Date.now() - startedAt
    console.log(`[popup] COOP popup closed by the user: login ended after ${endedMs} ms (timeout 4000)`)
    expect(endedMs).toBeGreaterThanOrEqual(3900)
    // Afterwards a new popup login works.
    await signInInPopup(await clickLoginPopup())
    await expect.poll(() => status()).toBe('authenticated')
  })

  it('with COOP, a click after closing the popup replaces the lost attempt instead of waiting for its timeout', async () => {
    await page.goto(`${coopAppUrl}/?storage=session`)
    await expect.poll(() => status()).toBe('unauthenticated')
    const first = await clickLoginPopup()
    await first.close()
    await page.waitForTimeout(700) // the opener has concluded it cannot watch that window
    const second = await clickLoginPopup()
    await signInInPopup(second)
    await expect.poll(() => status()).toBe('authenticated')
    expect(tokenRequests).toEqual([{ fromOpener: true }])
  })

  it('a popup opened without a click is blocked: ERR_POPUP_BLOCKED at once, no request made', async () => {
    let popups = 0
    context.on('page', () => popups++)
    await page.goto(`${appUrl}/?storage=session&popupOnLoad=1`)
    await expect.poll(() => loginResult()).toBe('ERR_POPUP_BLOCKED')
    expect(await testId(page, 'error-code').textContent()).toBe('ERR_POPUP_BLOCKED')
    expect(popups).toBe(0)
    expect((await providerStats(issuer)).requestLog.filter((r) => r.startsWith('GET /auth'))).toEqual([])
  })

  it('blocked with fallbackToRedirect: the same login happens by redirect', async () => {
    await page.goto(`${appUrl}/?storage=session&popupOnLoad=1&popupFallback=1`)
    await page.waitForURL((url) => url.href.startsWith(issuer))
    await page.locator('input[name="login"]').fill('bob')
    await page.locator('input[name="password"]').fill('secret')
    await page.locator('button[type="submit"]').click()
    await page.waitForURL((url) => url.href.startsWith(appUrl))
    await expect.poll(() => status()).toBe('authenticated')
    expect(await testId(page, 'user-name').textContent()).toBe('Bob')
    expect(new URL(page.url()).searchParams.get('popupFallback')).toBe('1') // returned where it started
  })
})
