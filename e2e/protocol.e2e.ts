// The `protocol` option and the fetch helper against the real oidc-provider: a person signs in
// with ID token signatures checked, with pushed authorization requests (on request, and on a
// provider that requires them), and calls userinfo through createAuthFetch.
import { generateKeyPairSync } from 'node:crypto'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
// @ts-expect-error plain ESM module without types
import { freePort, startProvider } from '../demo/op/provider.mjs'
import { loginAtProvider, testId } from './support/browser'
import { serveDemo, type DemoApp } from './support/demoApp'
import { failNext, providerStats, revokeAccessTokens } from './support/provider'
import { context, page, useBrowser } from './support/useBrowser'

const issuer = inject('issuer')
const appUrl = inject('appUrl')

/** Every authorization request the browser sent to a provider, as URLs. */
let authorizationRequests: URL[]

useBrowser()
beforeEach(() => {
  authorizationRequests = []
  context.on('request', (request) => {
    const url = new URL(request.url())
    if (url.pathname === '/auth' && request.isNavigationRequest()) authorizationRequests.push(url)
  })
})

const status = (p: Page = page) => testId(p, 'status').textContent()
const sessionStorageDump = (p: Page = page) => p.evaluate(() => JSON.stringify(Object.entries(sessionStorage)))

/** Opens the demo with the given switches and signs in by redirect on `provider`. */
async function signIn(base: string, provider: string, query = ''): Promise<void> {
  await page.goto(`${base}/?storage=session${query}`)
  await expect.poll(() => status()).toBe('unauthenticated')
  await testId(page, 'login').click()
  await page.waitForURL((url) => url.href.startsWith(provider))
  await loginAtProvider(page, { appUrl: base })
}

describe('ID token signature verification (protocol.verifySignature)', () => {
  it('on: signs in against the real provider, whose key set the app fetched', async () => {
    await signIn(appUrl, issuer, '&verifySignature=1')
    await expect.poll(() => status(), { timeout: 15_000 }).toBe('authenticated')
    expect(await testId(page, 'user-name').textContent()).toBe('Alice')
    expect((await providerStats(issuer)).requestLog).toContain('GET /jwks')
  })

  it('off (default): the key set is never fetched', async () => {
    await signIn(appUrl, issuer)
    await expect.poll(() => status(), { timeout: 15_000 }).toBe('authenticated')
    expect((await providerStats(issuer)).requestLog).not.toContain('GET /jwks')
  })

  it('on: a key set that does not hold the signing key fails the sign-in with ERR_ID_TOKEN and stores nothing', async () => {
    // Same key id as the provider's real key, different key: only the signature can tell.
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const impostor = { ...publicKey.export({ format: 'jwk' }), kid: 'dev-rs256', use: 'sig', alg: 'RS256' }
    await page.goto(`${appUrl}/?storage=session&verifySignature=1`)
    await expect.poll(() => status()).toBe('unauthenticated')
    await failNext(issuer, { endpoint: 'jwks', status: 200, body: JSON.stringify({ keys: [impostor] }), contentType: 'application/json' })
    await testId(page, 'login').click()
    await page.waitForURL((url) => url.href.startsWith(issuer))
    await loginAtProvider(page)
    await expect.poll(() => testId(page, 'error-code').textContent(), { timeout: 15_000 }).toBe('ERR_ID_TOKEN')
    expect(await status()).toBe('unauthenticated')
    expect(await sessionStorageDump()).not.toContain('accessToken')
    const landed = new URL(page.url())
    expect(landed.searchParams.has('code')).toBe(false)
    expect(landed.searchParams.has('state')).toBe(false)
    // The app still works: the next sign-in, with the real key set, succeeds.
    // The provider remembers the person: it answers at once, no form this time.
    await testId(page, 'login').click()
    await expect.poll(() => status(), { timeout: 30_000 }).toBe('authenticated')
  })
})

describe('pushed authorization requests (protocol.par)', () => {
  it("'always': the browser carries only client_id and request_uri, and the login works", async () => {
    await signIn(appUrl, issuer, '&par=always')
    await expect.poll(() => status(), { timeout: 15_000 }).toBe('authenticated')
    expect(authorizationRequests).toHaveLength(1)
    expect([...authorizationRequests[0]!.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])
    expect((await providerStats(issuer)).requestLog).toContain('POST /request')
  })

  describe('on a provider that requires PAR', () => {
    let op: { issuer: string; close(): Promise<void> }
    let parAppUrl: string
    let app: DemoApp

    beforeAll(async () => {
      // A second provider (PAR required) and the demo built against it, on free loopback ports.
      const host = '127.0.0.1'
      parAppUrl = `http://${host}:${await freePort(host)}`
      op = await startProvider({ host, clientOrigins: [parAppUrl], requirePar: true, quiet: true })
      app = await serveDemo(op.issuer, parAppUrl)
    })
    afterAll(async () => {
      await app?.close()
      await op?.close()
    })

    it('advertises the requirement and refuses a plain authorization request', async () => {
      const metadata = (await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>
      expect(metadata.require_pushed_authorization_requests).toBe(true)
      const plain = new URL(`${op.issuer}/auth`)
      for (const [k, v] of Object.entries({ client_id: 'tokenkeep-demo', response_type: 'code', scope: 'openid', redirect_uri: `${parAppUrl}/callback`, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' })) {
        plain.searchParams.set(k, v)
      }
      const answer = await fetch(plain, { redirect: 'manual' })
      expect(new URL(answer.headers.get('location')!).searchParams.get('error')).toBe('invalid_request')
    })

    it("'auto' (default): signs in by redirect through PAR", async () => {
      await signIn(parAppUrl, op.issuer)
      await expect.poll(() => status(), { timeout: 15_000 }).toBe('authenticated')
      expect(await testId(page, 'user-name').textContent()).toBe('Alice')
      expect(authorizationRequests).toHaveLength(1)
      expect([...authorizationRequests[0]!.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])
    })

    it("'auto' (default): signs in with a popup through PAR", async () => {
      await page.goto(`${parAppUrl}/?storage=session`)
      await expect.poll(() => status()).toBe('unauthenticated')
      const opened = page.waitForEvent('popup')
      await testId(page, 'login-popup').click()
      const popup = await opened
      await popup.waitForURL((url) => url.href.startsWith(op.issuer))
      const closed = popup.waitForEvent('close', { timeout: 30_000 })
      await popup.locator('input[name="login"]').fill('alice')
      await popup.locator('input[name="password"]').fill('secret')
      await popup.locator('button[type="submit"]').click()
      await closed
      await expect.poll(() => status(), { timeout: 15_000 }).toBe('authenticated')
      expect([...authorizationRequests[0]!.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])
    })
  })
})

describe('calling an API with createAuthFetch', () => {
  it('"Call userinfo" sends the token to the provider; after the provider drops it, one refresh and a retry', async () => {
    await signIn(appUrl, issuer)
    await expect.poll(() => status(), { timeout: 15_000 }).toBe('authenticated')
    await testId(page, 'call-api').click()
    await expect.poll(() => testId(page, 'api-result').textContent(), { timeout: 15_000 }).toBe('sub=alice')
    expect((await providerStats(issuer)).grants.refresh_token ?? 0).toBe(0)

    await revokeAccessTokens(issuer)
    await testId(page, 'api-result').evaluate((el) => (el.textContent = ''))
    await testId(page, 'call-api').click()
    await expect.poll(() => testId(page, 'api-result').textContent(), { timeout: 15_000 }).toBe('sub=alice')
    const stats = await providerStats(issuer)
    expect(stats.grants.refresh_token).toBe(1)
    expect(stats.requestLog.filter((r) => r === 'GET /me')).toHaveLength(3)
  })
})
