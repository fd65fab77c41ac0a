// Someone tampers with a login: the callback, the provider's answers, the ID token. Each time the
// person sees a typed error, nothing stored changes, the address bar keeps no code or state, and
// logging in normally right afterwards works. The tampering happens in a proxy at the provider's
// address (support/tamperingProxy.ts) or through the provider's own /__dev/fail hook.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { testId } from './support/browser'
import {
  clickLogin,
  expectRefused,
  expectUsable,
  openApp,
  pendingLogins,
  signIn,
  status,
  storageDump,
  throughProvider,
} from './support/negative'
import { failNext, providerStats } from './support/provider'
import { startTamperStack, type TamperStack } from './support/tamperStack'
import { rewriteAuthorizationResponse, rewriteTokenResponse } from './support/tamperingProxy'
import { page, useBrowser } from './support/useBrowser'

let stack: TamperStack

beforeAll(async () => {
  stack = await startTamperStack()
}, 180_000)
afterAll(async () => {
  await stack?.close()
})
beforeEach(() => {
  stack.proxy.clear()
})
useBrowser({ issuer: () => stack.issuer })

const callbackUrl = () => `${stack.appUrl}/callback`
const tokenRequests = async () => (await providerStats(stack.issuer)).requestLog.filter((r) => r === 'POST /token').length

/**
 * The common shape: open the app signed out, tamper, log in, see `code`, find storage as it was,
 * then log in for real.
 */
async function refusedLogin(
  refusal: { code: string; oauthError?: string },
  options: { storage?: string; login?: () => Promise<void> } = {},
): Promise<void> {
  await openApp(page, stack, options.storage)
  expect(await status(page)).toBe('unauthenticated')
  const before = await storageDump(page)
  await (options.login ?? (() => clickLogin(page, stack)))()
  await expectRefused(page, refusal)
  expect(await storageDump(page)).toBe(before)
  expect(await storageDump(page)).not.toMatch(/accessToken|refreshToken|idToken/)
  await expectUsable(page, stack)
}

describe('state', () => {
  it('an unknown state is refused (ERR_CALLBACK_STATE_MISMATCH) and no code is exchanged', async () => {
    stack.proxy.tamper(rewriteAuthorizationResponse(callbackUrl(), (p) => p.set('state', 'forged-state')))
    const exchanged = await tokenRequests()
    await refusedLogin({ code: 'ERR_CALLBACK_STATE_MISMATCH' })
    // Only the final, untampered login reached the token endpoint.
    expect(await tokenRequests()).toBe(exchanged + 1)
  })

  it('a missing state is refused (ERR_CALLBACK_STATE_MISMATCH)', async () => {
    stack.proxy.tamper(rewriteAuthorizationResponse(callbackUrl(), (p) => p.delete('state')))
    await refusedLogin({ code: 'ERR_CALLBACK_STATE_MISMATCH' })
  })

  it('an unknown state is refused with IndexedDB storage too', async () => {
    stack.proxy.tamper(rewriteAuthorizationResponse(callbackUrl(), (p) => p.set('state', 'forged-state')))
    await refusedLogin({ code: 'ERR_CALLBACK_STATE_MISMATCH' }, { storage: 'indexeddb' })
  })

  it('a replayed callback (used state) leaves the signed-in session exactly as it was', async () => {
    let replay = ''
    stack.proxy.tamper(rewriteAuthorizationResponse(callbackUrl(), (p) => void (replay = `${callbackUrl()}?${p}`)))
    await signIn(page, stack)
    expect(replay).toContain('code=')
    const before = await storageDump(page)
    const requests = (await providerStats(stack.issuer)).requests

    await page.goto(replay)
    await expectRefused(page, { code: 'ERR_CALLBACK_STATE_MISMATCH', status: 'authenticated' })
    expect(await storageDump(page)).toBe(before)
    expect((await providerStats(stack.issuer)).requests).toBe(requests)
    // Still usable: the session answers API calls.
    await testId(page, 'call-api').click()
    await expect.poll(() => testId(page, 'api-result').textContent(), { timeout: 30_000 }).toBe('sub=alice')
  })
})

describe('code', () => {
  it('a replayed code (already redeemed) is refused by the provider: ERR_TOKEN_RESPONSE with invalid_grant', async () => {
    let used = ''
    stack.proxy.tamper(rewriteAuthorizationResponse(callbackUrl(), (p) => void (used = p.get('code') ?? '')))
    await signIn(page, stack)
    await page.evaluate(() => (window as unknown as { __tk: { logout(o: object): Promise<void> } }).__tk.logout({ localOnly: true }))
    await expect.poll(() => status(page)).toBe('unauthenticated')

    stack.proxy.tamper(rewriteAuthorizationResponse(callbackUrl(), (p) => p.set('code', used)))
    await refusedLogin({ code: 'ERR_TOKEN_RESPONSE', oauthError: 'invalid_grant' })
    expect((await providerStats(stack.issuer)).grantErrors.map((e) => e.error)).toContain('invalid_grant')
  })
})

describe('RFC 9207 iss (the provider advertises authorization_response_iss_parameter_supported)', () => {
  it('a missing iss is refused before any token request (ERR_CALLBACK_INVALID)', async () => {
    stack.proxy.tamper(rewriteAuthorizationResponse(callbackUrl(), (p) => p.delete('iss')))
    const exchanged = await tokenRequests()
    await refusedLogin({ code: 'ERR_CALLBACK_INVALID' })
    expect(await tokenRequests()).toBe(exchanged + 1)
  })

  it('another issuer (mix-up) is refused before any token request (ERR_CALLBACK_INVALID)', async () => {
    stack.proxy.tamper(rewriteAuthorizationResponse(callbackUrl(), (p) => p.set('iss', 'http://127.0.0.1:1/other-issuer')))
    const exchanged = await tokenRequests()
    await refusedLogin({ code: 'ERR_CALLBACK_INVALID' })
    expect(await tokenRequests()).toBe(exchanged + 1)
  })
})

describe('the ID token (re-signed with the provider key, one claim broken)', () => {
  const now = () => Math.floor(Date.now() / 1000)
  const cases: [string, (claims: Record<string, unknown>, header: Record<string, unknown>) => void][] = [
    ['a wrong nonce', (c) => void (c.nonce = 'forged-nonce')],
    ['a wrong aud', (c) => void (c.aud = 'another-client')],
    ['a wrong iss', (c) => void (c.iss = 'http://127.0.0.1:1/other-issuer')],
    ['several audiences and no azp', (c) => void (c.aud = [stack.clientId, 'another-client'], delete c.azp)],
    ['several audiences and azp naming another client', (c) => void ((c.aud = [stack.clientId, 'another-client']), (c.azp = 'another-client'))],
    ['an expired token', (c) => void ((c.iat = now() - 7200), (c.exp = now() - 3600))],
    ['an iat an hour in the future', (c) => void ((c.iat = now() + 3600), (c.exp = now() + 7200))],
    ['alg: none', (_c, h) => void ((h.alg = 'none'), delete h.kid)],
  ]
  for (const [name, edit] of cases) {
    it(`${name} gives ERR_ID_TOKEN`, async () => {
      let rewritten = 0
      stack.proxy.tamper(
        rewriteTokenResponse(async (body) => {
          rewritten += 1
          return { ...body, id_token: await stack.resign(String(body.id_token), edit) }
        }),
      )
      await refusedLogin({ code: 'ERR_ID_TOKEN' })
      expect(rewritten).toBe(1)
    })
  }

  it('a wrong nonce gives ERR_ID_TOKEN with IndexedDB storage too', async () => {
    stack.proxy.tamper(
      rewriteTokenResponse(async (body) => ({ ...body, id_token: await stack.resign(String(body.id_token), (c) => void (c.nonce = 'x')) })),
    )
    await refusedLogin({ code: 'ERR_ID_TOKEN' }, { storage: 'indexeddb' })
  })
})

describe('provider errors in the authorization response (ERR_AUTHORIZATION, OAuth error kept apart)', () => {
  it('access_denied: the person cancels on the provider page', async () => {
    await refusedLogin(
      { code: 'ERR_AUTHORIZATION', oauthError: 'access_denied' },
      {
        login: async () => {
          await testId(page, 'login').click()
          await page.waitForURL((u) => u.href.startsWith(`${stack.issuer}/interaction/`), { timeout: 30_000 })
          await page.locator('a', { hasText: 'Cancel' }).click()
          await page.waitForURL((u) => u.href.startsWith(stack.appUrl), { timeout: 30_000 })
        },
      },
    )
  })

  it('login_required: prompt=none without a provider session', async () => {
    await refusedLogin(
      { code: 'ERR_AUTHORIZATION', oauthError: 'login_required' },
      {
        login: async () => {
          // The page navigates away while evaluate waits: its rejection is expected.
          page
            .evaluate(() =>
              (window as unknown as { __tk: { login(o: object): Promise<void> } }).__tk.login({ authorizationParams: { prompt: 'none' } }),
            )
            .catch(() => {})
          await page.waitForURL((u) => u.href.startsWith(`${stack.appUrl}/callback`), { timeout: 30_000, waitUntil: 'commit' })
          await expect.poll(() => status(page), { timeout: 30_000 }).not.toBe('loading')
        },
      },
    )
  })

  it('consent_required (rewritten into the response)', async () => {
    stack.proxy.tamper(
      rewriteAuthorizationResponse(callbackUrl(), (p) => {
        p.delete('code')
        p.set('error', 'consent_required')
        p.set('error_description', 'consent needed')
      }),
    )
    await refusedLogin({ code: 'ERR_AUTHORIZATION', oauthError: 'consent_required' })
  })
})

describe('token endpoint answers that are no token response (ERR_TOKEN_RESPONSE)', () => {
  const cases: [string, { status?: number; body: string; contentType?: string }][] = [
    ['an HTML page with status 200', { status: 200, body: '<!doctype html><title>Maintenance</title><p>Back soon', contentType: 'text/html' }],
    ['a 500', { status: 500, body: '{"error":"server_error"}', contentType: 'application/json' }],
    ['invalid JSON', { status: 200, body: '{"access_token": "abc", ', contentType: 'application/json' }],
    ['JSON without access_token', { status: 200, body: '{"token_type":"Bearer","expires_in":300}', contentType: 'application/json' }],
    ['an unknown token_type', { status: 200, body: '{"access_token":"abc","token_type":"mac","expires_in":300}', contentType: 'application/json' }],
  ]
  for (const [name, failure] of cases) {
    it(name, async () => {
      await failNext(stack.issuer, { endpoint: 'token', ...failure })
      await refusedLogin({ code: 'ERR_TOKEN_RESPONSE' })
    })
  }
})

describe('returnTo', () => {
  it('pointing at another origin, login refuses it with a TypeError before navigating or storing anything', async () => {
    await openApp(page, stack)
    const before = await page.evaluate(() => JSON.stringify(Object.entries(sessionStorage).sort()))
    const requests = (await providerStats(stack.issuer)).requests
    const url = page.url()
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'evil']) {
      const result = await page.evaluate(
        (r) =>
          (window as unknown as { __tk: { login(o: object): Promise<void> } }).__tk.login({ returnTo: r }).then(
            () => 'navigated',
            (e: { name: string; code?: string; message: string }) => ({ name: e.name, code: e.code, message: e.message }),
          ),
        returnTo,
      )
      expect(result, returnTo).toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_OPTION', message: expect.stringContaining('returnTo') })
    }
    expect(page.url()).toBe(url)
    expect(await page.evaluate(() => JSON.stringify(Object.entries(sessionStorage).sort()))).toBe(before)
    expect(await pendingLogins(page)).toBe(0)
    expect((await providerStats(stack.issuer)).requests).toBe(requests)
    expect(await status(page)).toBe('unauthenticated')
    await expectUsable(page, stack)
  })

  it('a same-origin path is where the login lands', async () => {
    await openApp(page, stack)
    page
      .evaluate(() => (window as unknown as { __tk: { login(o: object): Promise<void> } }).__tk.login({ returnTo: '/?after=login#here' }))
      .catch(() => {})
    await throughProvider(page, stack)
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('authenticated')
    const landed = new URL(page.url())
    expect(landed.pathname + landed.search + landed.hash).toBe('/?after=login#here')
  })
})
