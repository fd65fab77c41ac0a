// The dev OpenID Provider itself, driven by hand: what the other end-to-end tests rely on it for
// (discovery, PKCE, the login page, consent handling, rotation, reuse detection, /__dev controls).
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
// @ts-expect-error plain ESM module without types
import { startProvider } from '../demo/op/provider.mjs'
import { loginAtProvider, newContext } from './support/browser'
import { failNext, providerStats, revokeAll, setAccessTokenTtl } from './support/provider'
import { browser, useBrowser } from './support/useBrowser'

const issuer = inject('issuer')
const appUrl = inject('appUrl')
const clientId = 'tokenkeep-demo'
const redirectUri = `${appUrl}/callback`

useBrowser({ context: false })

const b64url = (b: Buffer) => b.toString('base64url')

function authorizeUrl(op: string, extra: Record<string, string> = {}) {
  const verifier = b64url(randomBytes(32))
  const state = b64url(randomBytes(16))
  const url = new URL(`${op}/auth`)
  url.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile email',
    state,
    nonce: b64url(randomBytes(16)),
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    ...extra,
  }).toString()
  return { url: url.href, verifier, state }
}

/** Records every URL the page lands on, and every request the loopback fence aborted. */
async function watchedPage() {
  const context = await newContext(browser)
  const blocked: string[] = []
  context.on('requestfailed', (r) => {
    if (!/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(r.url())) blocked.push(r.url())
  })
  const page = await context.newPage()
  const landed: string[] = []
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) landed.push(f.url())
  })
  return { context, page, blocked, landed }
}

/** Signs in by hand and returns the authorization response the provider sent to the app. */
async function authorize(page: Page, landed: string[], op = issuer) {
  const request = authorizeUrl(op)
  await page.goto(request.url)
  await loginAtProvider(page)
  const callback = new URL(landed.find((u) => u.startsWith(redirectUri))!)
  return { ...request, callback }
}

async function token(op: string, params: Record<string, string>) {
  const response = await fetch(`${op}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: clientId, ...params }),
  })
  const text = await response.text()
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, string | number> }
}

describe('dev OpenID Provider', () => {
  it('advertises what tokenkeep relies on', async () => {
    const meta = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()
    expect(meta.issuer).toBe(issuer)
    expect(meta.authorization_response_iss_parameter_supported).toBe(true)
    expect(meta.code_challenge_methods_supported).toEqual(['S256'])
    expect(meta.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']))
    expect(meta.grant_types_supported).not.toContain('client_credentials')
    for (const key of ['revocation_endpoint', 'end_session_endpoint', 'userinfo_endpoint']) expect(meta[key]).toMatch(/^http:\/\/127\.0\.0\.1:/)
  })

  it('shows its login page with no request beyond loopback (the web font is stripped)', async () => {
    const { context, page, blocked } = await watchedPage()
    const response = await page.goto(authorizeUrl(issuer).url)
    const html = (await response?.text()) ?? ''
    expect(html).toContain('name="login"') // the interaction page, after the redirect from /auth
    expect(html).not.toMatch(/fonts\.(googleapis|gstatic)\.com/)
    await expect.poll(() => page.locator('input[name="login"]').count()).toBe(1)
    await page.waitForLoadState('networkidle')
    mkdirSync('.tmp/e2e', { recursive: true })
    await page.screenshot({ path: '.tmp/e2e/provider-login.png' })
    expect(blocked).toEqual([])
    await context.close()
  })

  it('refuses an authorization request without PKCE, answering with iss (RFC 9207)', async () => {
    const { context, page, landed } = await watchedPage()
    const { url, state } = authorizeUrl(issuer, { code_challenge: '', code_challenge_method: '' })
    await page.goto(url.replace(/&code_challenge(_method)?=(?=&|$)/g, ''))
    await page.waitForURL((u) => u.href.startsWith(redirectUri))
    const response = new URL(landed.find((u) => u.startsWith(redirectUri))!).searchParams
    expect(response.get('error')).toBe('invalid_request')
    expect(response.get('state')).toBe(state)
    expect(response.get('iss')).toBe(issuer)
    await context.close()
  })

  it('code flow: rotates refresh tokens, counts a reused one and revokes its grant', async () => {
    const { context, page, landed } = await watchedPage()
    const { callback, verifier, state } = await authorize(page, landed)
    await context.close()
    expect(callback.searchParams.get('state')).toBe(state)
    expect(callback.searchParams.get('iss')).toBe(issuer)

    const code = await token(issuer, {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code')!,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    })
    expect(code.status).toBe(200)
    expect(code.body).toMatchObject({ token_type: 'Bearer', scope: 'openid profile email' })
    expect(code.body.refresh_token).toBeTruthy()
    const claims = JSON.parse(Buffer.from(String(code.body.id_token).split('.')[1]!, 'base64url').toString())
    expect(claims).toMatchObject({ sub: 'alice', name: 'Alice', email: 'alice@example.test', email_verified: true })

    const first = await token(issuer, { grant_type: 'refresh_token', refresh_token: String(code.body.refresh_token) })
    expect(first.status).toBe(200)
    expect(first.body.refresh_token).not.toBe(code.body.refresh_token)

    const reused = await token(issuer, { grant_type: 'refresh_token', refresh_token: String(code.body.refresh_token) })
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
    // Reuse revokes the whole grant: the newest refresh token is dead too.
    const after = await token(issuer, { grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token) })
    expect(after).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })

    const stats = await providerStats(issuer)
    expect(stats.grants).toEqual({ authorization_code: 1, refresh_token: 1 })
    expect(stats.refreshTokenReuse).toBe(1)
    expect(stats.grantErrors).toEqual([
      expect.objectContaining({ grantType: 'refresh_token', error: 'invalid_grant' }),
      expect.objectContaining({ grantType: 'refresh_token', error: 'invalid_grant' }),
    ])
  })

  it('/__dev controls: access-token TTL, injected failures, revoke-all', async () => {
    await setAccessTokenTtl(issuer, 42)
    const { context, page, landed } = await watchedPage()
    const { callback, verifier } = await authorize(page, landed)
    await context.close()
    const code = await token(issuer, {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code')!,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    })
    expect(code.body.expires_in).toBe(42)
    await setAccessTokenTtl(issuer, Number(process.env.TK_E2E_ACCESS_TOKEN_TTL ?? 3600))

    await failNext(issuer, { endpoint: 'token', status: 500, body: '', times: 2 })
    await failNext(issuer, { endpoint: 'discovery', status: 503, body: '<h1>down</h1>', contentType: 'html' })
    const refresh = { grant_type: 'refresh_token', refresh_token: String(code.body.refresh_token) }
    expect(await token(issuer, refresh)).toEqual({ status: 500, body: {} })
    expect(await token(issuer, refresh)).toEqual({ status: 500, body: {} })
    const discovery = await fetch(`${issuer}/.well-known/openid-configuration`)
    expect([discovery.status, await discovery.text()]).toEqual([503, '<h1>down</h1>'])
    expect((await fetch(`${issuer}/.well-known/openid-configuration`)).status).toBe(200)

    const ok = await token(issuer, refresh)
    expect(ok.status).toBe(200)
    await revokeAll(issuer)
    expect(await token(issuer, { grant_type: 'refresh_token', refresh_token: String(ok.body.refresh_token) })).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    })
    const userinfo = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${ok.body.access_token}` } })
    expect(userinfo.status).toBe(401)
  })

  it('extraRedirectUris registers exact redirect URIs and their origins, nothing more', async () => {
    const extraOrigin = 'http://127.0.0.1:1'
    const extra = `${extraOrigin}/bench/page.html`
    const op = await startProvider({ extraRedirectUris: [extra], quiet: true })
    try {
      const ask = (redirect: string) =>
        fetch(authorizeUrl(op.issuer, { redirect_uri: redirect }).url, { redirect: 'manual' })
      const registered = await ask(extra)
      expect(registered.status).toBe(303)
      expect(new URL(registered.headers.get('location')!, op.issuer).pathname).toMatch(/^\/interaction\//)
      expect((await ask(`${extraOrigin}/bench/other.html`)).status).toBe(400)
      // The token endpoint answers cross-origin only to the client's origins.
      const tokenFrom = (origin: string) =>
        fetch(`${op.issuer}/token`, {
          method: 'POST',
          headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: clientId, grant_type: 'refresh_token', refresh_token: 'unknown' }),
        })
      expect((await tokenFrom(extraOrigin)).headers.get('access-control-allow-origin')).toBe(extraOrigin)
      expect((await tokenFrom('http://127.0.0.1:2')).headers.get('access-control-allow-origin')).not.toBe('http://127.0.0.1:2')
    } finally {
      await op.close()
    }
  })

  it('the login helper clicks through a consent page when the provider shows one', async () => {
    const op = await startProvider({ clientOrigins: [appUrl], skipConsent: false, quiet: true })
    try {
      const { context, page, landed } = await watchedPage()
      const { callback } = await authorize(page, landed, op.issuer)
      await context.close()
      expect(callback.searchParams.get('code')).toBeTruthy()
      const interactions = new Set(landed.filter((u) => u.startsWith(`${op.issuer}/interaction/`)).map((u) => new URL(u).pathname))
      expect(interactions.size).toBe(2) // the login page, then the consent page
    } finally {
      await op.close()
    }
  })
})
