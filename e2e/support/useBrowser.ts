// The browser/provider hooks every end-to-end file needs, registered by one call:
//
//   useBrowser()                      // a browser for the file; per test a context, a page, a reset provider
//   it('...', async () => { await page.goto(appUrl) })
//
// `browser`, `context` and `page` are live bindings (read them where they are used, never copy
// them at import time); useBrowser() also returns getters for the same three.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest'
import { launchBrowser, newContext } from './browser'
import { resetProvider, setAccessTokenTtl } from './provider'

/** The file's Chromium, launched once before its first test. */
export let browser: Browser
/** This test's browser context (its own cookies and storage, fenced to loopback). */
export let context: BrowserContext
/** This test's first page in `context`. */
export let page: Page

/** The access-token lifetime the e2e provider starts with (globalSetup reads the same variable). */
export const DEFAULT_ACCESS_TOKEN_TTL = Number(process.env.TK_E2E_ACCESS_TOKEN_TTL ?? 3600)

export interface BrowserSetup {
  /** Chromium launch options (see launchBrowser): `popupBlocking` keeps the popup blocker on. */
  launch?: Parameters<typeof launchBrowser>[0]
  /** A fresh context before each test, closed after it. Default true. */
  context?: boolean
  /** A page in that context before each test. Default true (needs `context`). */
  page?: boolean
  /**
   * The provider whose counters and pending failures are reset before each test: the shared one
   * (`inject('issuer')`) by default, or a function for a provider the file starts itself.
   */
  issuer?: () => string
  /** Tests change the provider's access-token TTL: put it back to the default after each. */
  restoreTtl?: boolean
}

export interface BrowserFixture {
  readonly browser: Browser
  readonly context: BrowserContext
  readonly page: Page
}

/**
 * Registers the hooks of an end-to-end file (or describe block): Chromium launched in beforeAll
 * and closed in afterAll; before each test the provider reset, then a new context and page;
 * after each test the context closed (and the TTL restored when asked). Hooks the file registers
 * after this call run after these before each test, and before these after it.
 */
export function useBrowser(setup: BrowserSetup = {}): BrowserFixture {
  const withContext = setup.context !== false
  const withPage = withContext && setup.page !== false
  const issuer = setup.issuer ?? (() => inject('issuer'))

  beforeAll(async () => {
    browser = await launchBrowser(setup.launch)
  })
  afterAll(async () => {
    await browser?.close()
  })
  beforeEach(async () => {
    await resetProvider(issuer())
    if (withContext) context = await newContext(browser)
    if (withPage) page = await context.newPage()
  })
  afterEach(async () => {
    if (withContext) await context?.close()
    if (setup.restoreTtl) await setAccessTokenTtl(issuer(), DEFAULT_ACCESS_TOKEN_TTL)
  })

  return {
    get browser() {
      return browser
    },
    get context() {
      return context
    },
    get page() {
      return page
    },
  }
}
