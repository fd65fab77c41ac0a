// Providers differ in what the standards let them leave out. Here the dev provider keeps one
// refresh token per session (no rotation), and the proxy at its address plays a provider that
// advertises fewer endpoints, omits tokens from a refresh response or sends `iss` unannounced.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { testId } from './support/browser'
import { clickLogin, expectRefused, expectUsable, openApp, signIn, status, storageDump } from './support/negative'
import { failNext, providerStats } from './support/provider'
import { startTamperStack, type TamperStack } from './support/tamperStack'
import { rewriteAuthorizationResponse, rewriteMetadata, rewriteTokenResponse } from './support/tamperingProxy'
import { page, useBrowser } from './support/useBrowser'

let stack: TamperStack

beforeAll(async () => {
  stack = await startTamperStack({ rotateRefreshToken: false })
}, 180_000)
afterAll(async () => {
  await stack?.close()
})
beforeEach(() => {
  stack.proxy.clear()
})
useBrowser({ issuer: () => stack.issuer })

interface StoredSession {
  accessToken: string
  refreshToken?: string
  idToken?: string
  claims: Record<string, unknown>
  seq: number
}

const storedSession = (p: Page) =>
  p.evaluate(() => {
    const key = Object.keys(sessionStorage).find((k) => k.endsWith(':session'))
    return key ? (JSON.parse(sessionStorage.getItem(key)!) as StoredSession) : null
  })

/** getAccessToken({ forceRefresh: true }) in the page: the token's length, or the error code. */
const forceRefresh = (p: Page) =>
  p.evaluate(() =>
    (window as unknown as { __tk: { getAccessToken(o: object): Promise<string> } }).__tk
      .getAccessToken({ forceRefresh: true })
      .then((t) => `token:${t.length}`, (e: { code?: string }) => `error:${e.code}`),
  )

describe('metadata without optional fields', () => {
  it('no revocation_endpoint and no end_session_endpoint: logout signs out here, stays on the app and asks the provider nothing', async () => {
    stack.proxy.tamper(
      rewriteMetadata((m) => {
        delete m.revocation_endpoint
        delete m.end_session_endpoint
      }),
    )
    await signIn(page, stack)
    const url = page.url()
    const before = await providerStats(stack.issuer)

    await testId(page, 'logout').click()
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('unauthenticated')
    expect(await testId(page, 'error-code').textContent()).toBe('')
    expect(page.url()).toBe(url)
    expect(await storedSession(page)).toBeNull()
    const after = await providerStats(stack.issuer)
    expect(after.revocations).toBe(0)
    expect(after.endSessions).toBe(0)
    expect(after.requestLog.slice(before.requestLog.length)).toEqual([])

    await page.reload()
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('unauthenticated')
    await expectUsable(page, stack)
  })
})

describe('a provider whose logout is its own address (Cognito /logout, Auth0 /v2/logout)', () => {
  it('logout({ logoutUrl }) signs out here, revokes, and the browser goes to that address', async () => {
    // The provider's real end-session URL, reached the way Cognito's /logout is: by its own
    // address, while the metadata the client sees advertises no end_session_endpoint.
    const metadata = (await (await fetch(`${stack.issuer}/.well-known/openid-configuration`)).json()) as {
      end_session_endpoint: string
    }
    stack.proxy.tamper(rewriteMetadata((m) => void delete m.end_session_endpoint))
    await signIn(page, stack)
    const own = new URL(metadata.end_session_endpoint)
    own.searchParams.set('client_id', stack.clientId)
    const before = await providerStats(stack.issuer)

    await page.evaluate(
      (url) => void (window as unknown as { __tk: { logout(o: object): Promise<void> } }).__tk.logout({ logoutUrl: url }),
      own.href,
    )
    await page.waitForURL((u) => u.href.startsWith(own.origin + own.pathname), { timeout: 30_000 })
    expect((await providerStats(stack.issuer)).revocations).toBe(before.revocations + 1)
    // Its own page asks "Do you want to sign-out ...?"; yes ends the provider session.
    expect(await page.textContent('body')).toContain('Do you want to sign-out')
    await page.click('button[value="yes"]')
    await expect.poll(async () => (await providerStats(stack.issuer)).endSessions).toBe(before.endSessions + 1)

    await openApp(page, stack)
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('unauthenticated')
    expect(await storedSession(page)).toBeNull()
  })
})

describe('iss in the authorization response without authorization_response_iss_parameter_supported', () => {
  const unadvertised = () => rewriteMetadata((m) => void delete m.authorization_response_iss_parameter_supported)

  it('the right iss is checked and accepted', async () => {
    let sent = ''
    stack.proxy.tamper(unadvertised())
    stack.proxy.tamper(rewriteAuthorizationResponse(`${stack.appUrl}/callback`, (p) => void (sent = p.get('iss') ?? '')))
    await signIn(page, stack)
    expect(sent).toBe(stack.issuer)
    expect(await testId(page, 'error-code').textContent()).toBe('')
  })

  it('another iss is still refused (ERR_CALLBACK_INVALID), nothing stored, and a login afterwards works', async () => {
    stack.proxy.tamper(unadvertised())
    stack.proxy.tamper(rewriteAuthorizationResponse(`${stack.appUrl}/callback`, (p) => p.set('iss', 'http://127.0.0.1:1/other-issuer')))
    await openApp(page, stack)
    const before = await storageDump(page)
    await clickLogin(page, stack)
    await expectRefused(page, { code: 'ERR_CALLBACK_INVALID' })
    expect(await storageDump(page)).toBe(before)
    await expectUsable(page, stack)
  })
})

describe('refresh responses', () => {
  it('without refresh_token and id_token: the old refresh token and the claims are kept (RFC 6749 section 6), and the next refresh uses that token', async () => {
    await signIn(page, stack)
    const first = (await storedSession(page))!
    expect(first.refreshToken).toBeTruthy()

    let rewritten = 0
    stack.proxy.tamper(
      rewriteTokenResponse((body) => {
        rewritten += 1
        const { refresh_token: _r, id_token: _i, ...rest } = body
        return rest
      }),
    )
    expect(await forceRefresh(page)).toMatch(/^token:/)
    expect(rewritten).toBe(1)
    const second = (await storedSession(page))!
    expect(second.accessToken).not.toBe(first.accessToken)
    expect(second.refreshToken).toBe(first.refreshToken)
    expect(second.idToken).toBe(first.idToken)
    expect(second.claims).toEqual(first.claims)
    expect(second.seq).toBeGreaterThan(first.seq)

    stack.proxy.clear()
    expect(await forceRefresh(page)).toMatch(/^token:/)
    const stats = await providerStats(stack.issuer)
    expect(stats.grants.refresh_token).toBe(2)
    expect(stats.grantErrors).toEqual([])
    expect(await status(page)).toBe('authenticated')
    expect(await testId(page, 'user-name').textContent()).toBe('Alice')
  })

  it('an error with an empty body and status 503 keeps the session (ERR_REFRESH_FAILED), and the next refresh works', async () => {
    await signIn(page, stack)
    const before = await storedSession(page)
    await failNext(stack.issuer, { endpoint: 'token', status: 503, body: '' })
    // The access token is still valid, so the caller still gets it.
    expect(await forceRefresh(page)).toMatch(/^token:/)
    await expect.poll(() => testId(page, 'warning-code').textContent(), { timeout: 30_000 }).toBe('ERR_REFRESH_FAILED')
    expect(await status(page)).toBe('authenticated')
    expect(await storedSession(page)).toEqual(before)

    expect(await forceRefresh(page)).toMatch(/^token:/)
    await expect.poll(() => testId(page, 'warning-code').textContent(), { timeout: 30_000 }).toBe('')
    expect((await storedSession(page))!.accessToken).not.toBe(before!.accessToken)
  })
})

describe('errors with an empty body', () => {
  it('a code exchange answered 400 with no body gives ERR_TOKEN_RESPONSE and stores nothing', async () => {
    await openApp(page, stack)
    const before = await storageDump(page)
    await failNext(stack.issuer, { endpoint: 'token', status: 400, body: '' })
    await clickLogin(page, stack)
    await expectRefused(page, { code: 'ERR_TOKEN_RESPONSE' })
    expect(await storageDump(page)).toBe(before)
    await expectUsable(page, stack)
  })
})
