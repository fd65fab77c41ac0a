// Real Chromium (the system's, never a downloaded one) driven by playwright-core, fenced to
// loopback: the resolver maps every other host to nothing and every non-loopback request is aborted.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { inject } from 'vitest'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
]

/**
 * Launches headless Chromium with a fresh profile (playwright makes a new user-data-dir).
 * `popupBlocking` keeps Chromium's popup blocker on, as in a user's browser (playwright turns it
 * off by default): `window.open` then works only inside a user gesture. `backForwardCache`
 * keeps the back/forward cache on, as in a user's browser (playwright turns it off): Back can
 * then show a page exactly as it was left, scripts frozen and resumed.
 */
export function launchBrowser(options: { popupBlocking?: boolean; backForwardCache?: boolean } = {}): Promise<Browser> {
  const keepOff = [
    ...(options.popupBlocking ? ['--disable-popup-blocking'] : []),
    ...(options.backForwardCache ? ['--disable-back-forward-cache'] : []),
  ]
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    ...(keepOff.length ? { ignoreDefaultArgs: keepOff } : {}),
  })
}

export function isLoopbackUrl(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('about:')) return true
  try {
    const { hostname } = new URL(url)
    return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]'
  } catch {
    return false
  }
}

/** A fresh context (its own cookies and storage) that cannot reach beyond loopback. */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext()
  await context.route('**/*', (route) => (isLoopbackUrl(route.request().url()) ? route.fallback() : route.abort()))
  return context
}

/** A fresh context's first page. */
export async function newPage(browser: Browser): Promise<Page> {
  return (await newContext(browser)).newPage()
}

export interface ProviderLogin {
  login?: string
  password?: string
  /** Where the provider sends the browser back to; the demo app by default. */
  appUrl?: string
}

/**
 * Signs in on the dev provider's login page (devInteractions: any login/password), clicks
 * "Continue" on a consent page if one shows up, and waits until the browser is back on the app.
 */
export async function loginAtProvider(page: Page, options?: ProviderLogin): Promise<void>
/** The older positional form, kept for tests written against it. */
export async function loginAtProvider(page: Page, appUrl: string, login?: string, password?: string): Promise<void>
export async function loginAtProvider(page: Page, options: ProviderLogin | string = {}, ...rest: (string | undefined)[]): Promise<void> {
  const { login = 'alice', password = 'secret', appUrl = inject('appUrl') } =
    typeof options === 'string' ? { appUrl: options, login: rest[0], password: rest[1] } : options
  const backOnApp = (url: URL) => url.href.startsWith(appUrl)
  await page.locator('input[name="login"]').fill(login)
  await page.locator('input[name="password"]').fill(password)
  const loginPage = page.url()
  await page.locator('button[type="submit"]').click()
  // After the form the provider redirects (303s commit no page) either to the app or to a new
  // interaction: the consent prompt, which this provider skips unless started with skipConsent: false.
  await page.waitForURL((url) => backOnApp(url) || url.href !== loginPage)
  if (!backOnApp(new URL(page.url()))) {
    await page.locator('form button[type="submit"]').first().click()
    await page.waitForURL(backOnApp)
  }
}

/** Follows a logout to the provider, confirms "Do you want to sign out?" if asked, and waits to be back. */
/**
 * Clicks the popup login button `testIdOfButton`, signs in on the provider's form in the popup
 * (at `issuer`) and waits for the popup to close.
 */
export async function signInByPopup(page: Page, testIdOfButton: string, issuer: string): Promise<void> {
  const opened = page.waitForEvent('popup')
  await testId(page, testIdOfButton).click()
  const popup = await opened
  await popup.waitForURL((url) => url.href.startsWith(issuer))
  const closed = popup.waitForEvent('close', { timeout: 15_000 })
  await popup.locator('input[name="login"]').fill('alice')
  await popup.locator('input[name="password"]').fill('secret')
  await popup.locator('button[type="submit"]').click()
  await closed
}

export async function confirmProviderLogout(page: Page, issuer: string, appUrl: string): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(issuer))
  const confirm = page.locator('button[name="logout"], button[value="yes"]').first()
  await Promise.race([
    confirm.click().catch(() => {}),
    page.waitForURL((url) => url.href.startsWith(appUrl)),
  ])
  await page.waitForURL((url) => url.href.startsWith(appUrl))
}

export const testId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`)
