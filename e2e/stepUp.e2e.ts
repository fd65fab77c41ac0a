// Step-up when an API asks for it (RFC 9470): the e2e resource server answers
// `401 insufficient_user_authentication` with acr_values or max_age; the demo's createAuthFetch
// (stepUp: 'popup') signs in again in a popup with what was asked, and the same call then
// succeeds. A provider that cannot give the acr ends the call in ERR_ACR_MISMATCH, once.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { launchBrowser, loginAtProvider, newContext, signInByPopup, testId } from './support/browser'
import { startApiApp, type ApiApp } from './support/apiApp'
import type { DPoPResourceServer, TokenStore } from './support/dpopResourceServer'
import { providerStats, resetProvider } from './support/provider'

const MFA = 'urn:tokenkeep:mfa'

let op: { issuer: string; provider: TokenStore; close(): Promise<void> }
let rs: DPoPResourceServer
let appUrl: string
let app: ApiApp
let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  // A provider of this file's own (the resource server reads its token store), and the demo built
  // against it, on free loopback ports.
  app = await startApiApp()
  ;({ op, rs, appUrl } = app)
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await app?.close()
})
beforeEach(async () => {
  context = await newContext(browser)
  page = await context.newPage()
  await resetProvider(op.issuer)
  rs.reset()
})
afterEach(async () => {
  await context?.close()
})

const text = (id: string) => testId(page, id).textContent()

/** Signs in by redirect with the resource server as the demo's API. */
async function signIn(switches: string): Promise<void> {
  await page.goto(`${appUrl}/?storage=session&api=${encodeURIComponent(rs.url)}&${switches}`)
  await expect.poll(() => text('status')).toBe('unauthenticated')
  await testId(page, 'login').click()
  await page.waitForURL((url) => url.href.startsWith(op.issuer))
  await loginAtProvider(page, { appUrl })
  await expect.poll(() => text('status'), { timeout: 15_000 }).toBe('authenticated')
  await testId(page, 'call-rs').click()
  await expect.poll(() => text('rs-result')).toBe('sub=alice')
  // Cleared, so the next answer is the next call's.
  await testId(page, 'rs-result').evaluate((e) => (e.textContent = ''))
}

describe('step-up from the API (RFC 9470)', () => {
  for (const dpop of [false, true]) {
    it(`${dpop ? 'DPoP' : 'Bearer'}: acr_values="${MFA}": one popup sign-in with that acr, then the same call succeeds`, async () => {
      rs.acceptBearer(!dpop)
      await signIn(`stepUp=popup&dpop=${dpop ? 1 : 0}`)
      expect(await text('user-acr')).not.toBe(MFA)
      rs.requireStepUp({ acr: MFA })
      const authorizationsBefore = (await providerStats(op.issuer)).authorizationParams.length
      await signInByPopup(page, 'call-rs', op.issuer)
      await expect.poll(() => text('rs-result')).toBe('sub=alice')
      expect(await text('user-acr')).toBe(MFA)
      const stats = await providerStats(op.issuer)
      expect(stats.authorizationParams.slice(authorizationsBefore)).toEqual([expect.objectContaining({ acr_values: MFA, prompt: 'login' })])
      expect(rs.stats().stepUpChallenges).toBe(1)
      if (dpop) expect(stats.tokenTypes.every((t) => t === 'dpop')).toBe(true)
    })
  }

  it('max_age: a sign-in older than the API allows is renewed by popup, then the call succeeds', async () => {
    rs.acceptBearer(true)
    await signIn('stepUp=popup&dpop=0')
    // The provider counts whole seconds: well past max_age for both of them.
    await page.waitForTimeout(3_200)
    rs.requireStepUp({ maxAgeS: 2 })
    await signInByPopup(page, 'call-rs', op.issuer)
    await expect.poll(() => text('rs-result')).toBe('sub=alice')
    expect((await providerStats(op.issuer)).authorizationParams.at(-1)).toMatchObject({ max_age: '2' })
  })

  it('a provider that cannot give the acr: the call ends in ERR_ACR_MISMATCH after one sign-in, no loop, the session kept', async () => {
    rs.acceptBearer(true)
    await signIn('stepUp=popup&dpop=0')
    const before = (await providerStats(op.issuer)).authorizations.total
    rs.requireStepUp({ acr: 'urn:tokenkeep:hardware-key' })
    await signInByPopup(page, 'call-rs', op.issuer)
    await expect.poll(() => text('rs-result')).toBe('ERR_ACR_MISMATCH')
    await page.waitForTimeout(1_500)
    expect((await providerStats(op.issuer)).authorizations.total - before).toBe(1)
    expect(rs.stats().stepUpChallenges).toBe(1)
    expect(await text('status')).toBe('authenticated')
  })

  it("stepUp: 'redirect': the page leaves for the provider with the acr asked, comes back to itself signed in with it, and the call then succeeds", async () => {
    rs.acceptBearer(true)
    await signIn('stepUp=redirect&dpop=0')
    const before = (await providerStats(op.issuer)).authorizationParams.length
    rs.requireStepUp({ acr: MFA })
    await testId(page, 'call-rs').click()
    await page.waitForURL((url) => url.href.startsWith(op.issuer))
    await loginAtProvider(page, { appUrl })
    await expect.poll(() => text('status'), { timeout: 15_000 }).toBe('authenticated')
    // Back on the page the call was made from, with the stronger sign-in and a clean address.
    expect(new URL(page.url()).pathname).toBe('/')
    expect(new URL(page.url()).searchParams.has('code')).toBe(false)
    expect(await text('user-acr')).toBe(MFA)
    expect((await providerStats(op.issuer)).authorizationParams.slice(before)).toEqual([expect.objectContaining({ acr_values: MFA })])
    await testId(page, 'call-rs').click()
    await expect.poll(() => text('rs-result')).toBe('sub=alice')
    expect(rs.stats().stepUpChallenges).toBe(1)
  })

  it('without the stepUp option the call rejects with ERR_STEP_UP_REQUIRED and nothing opens', async () => {
    rs.acceptBearer(true)
    await signIn('stepUp=off&dpop=0')
    rs.requireStepUp({ acr: MFA })
    const popups: Page[] = []
    page.on('popup', (p) => popups.push(p))
    await testId(page, 'call-rs').click()
    await expect.poll(() => text('rs-result')).toBe('ERR_STEP_UP_REQUIRED')
    expect(popups).toEqual([])
  })
})
