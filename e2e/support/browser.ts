// Real Chromium (the system's, never a downloaded one) driven by playwright-core, fenced to
// loopback: the resolver maps every other host to nothing and every non-loopback request is aborted.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

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
 * off by default): `window.open` then works only inside a user gesture.
 */
export function launchBrowser(options: { popupBlocking?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    ...(options.popupBlocking ? { ignoreDefaultArgs: ['--disable-popup-blocking'] } : {}),
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

/** Signs in on the dev provider's login page, clicking through a consent page if one shows up. */
export async function loginAtProvider(page: Page, appUrl: string, login = 'alice', password = 'secret'): Promise<void> {
  await page.locator('input[name="login"]').fill(login)
  await page.locator('input[name="password"]').fill(password)
  await page.locator('button[type="submit"]').click()
  await page.waitForURL((url) => url.href.startsWith(appUrl) || /\/interaction\//.test(url.pathname))
  if (!page.url().startsWith(appUrl)) {
    // A consent (or other) interaction step: accept it.
    await page.locator('button[type="submit"]').first().click()
    await page.waitForURL((url) => url.href.startsWith(appUrl))
  }
}

/** Follows a logout to the provider, confirms "Do you want to sign out?" if asked, and waits to be back. */
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
