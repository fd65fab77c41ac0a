// The `provider` option through the whole client: a discovery document elsewhere, endpoints the
// provider has but does not advertise, static metadata with no discovery, and what login() says
// when discovery fails or the option is wrong.
import { describe, expect, it } from 'vitest'
import { ISSUER } from './test/fakeProvider'
import { assigned, op, useFakeProvider } from './test/harness'

const { signIn, options, createAuthClient, replaceProvider } = useFakeProvider({ options: () => ({ postLogoutRedirectUri: `${location.origin}/` }) })

const DISCOVERY = 'GET /.well-known/openid-configuration'
const SLASHED = '/.well-known/openid-configuration/'
const discoveries = () => op.calls.filter((c) => c.startsWith(DISCOVERY)).length
const storedSession = () => {
  const key = Object.keys(sessionStorage).find((k) => k.endsWith(':session'))
  return key ? (JSON.parse(sessionStorage.getItem(key)!) as { refreshToken?: string }) : undefined
}
const cachedMetadata = () => {
  const key = Object.keys(sessionStorage).find((k) => k.endsWith(':metadata'))
  return key ? (JSON.parse(sessionStorage.getItem(key)!) as { as: Record<string, unknown>; url?: string }) : undefined
}

/** The fake provider's own document, then its standard address answering 301 to SLASHED, and SLASHED serving the document. */
async function discoveryOnlyWithSlash(times = 5): Promise<Record<string, unknown>> {
  const doc = (await (await op.fetch(`${ISSUER}/.well-known/openid-configuration`)).json()) as Record<string, unknown>
  op.calls.length = 0
  for (let i = 0; i < times; i++) {
    op.override('/.well-known/openid-configuration', () => new Response(null, { status: 301, headers: { location: SLASHED } }))
    op.override(SLASHED, () => Response.json(doc))
  }
  return doc
}

describe('discovery at another address', () => {
  it('without the option: login() rejects with ERR_DISCOVERY naming the address, the 301, its Location and provider.metadataUrl', async () => {
    await discoveryOnlyWithSlash()
    const auth = createAuthClient(options())
    await auth.start()
    const error = await auth.login().then(() => undefined, (e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_DISCOVERY', status: 301 })
    const message = (error as Error).message
    expect(message).toContain(`GET ${ISSUER}/.well-known/openid-configuration answered HTTP 301 with Location ${ISSUER}${SLASHED}`)
    expect(message).toContain(`set provider.metadataUrl to '${ISSUER}${SLASHED}'`)
    expect(auth.getSnapshot().error).toBe(error)
    expect(op.calls).toEqual([DISCOVERY])
    expect(assigned).toEqual([])
  })

  it('with provider.metadataUrl: one request to that address, sign-in and refresh work, and the cache remembers where it came from', async () => {
    await discoveryOnlyWithSlash()
    const provider = { metadataUrl: `${ISSUER}${SLASHED}` }
    const auth = await signIn({ provider })
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', error: null })
    await auth.getAccessToken({ forceRefresh: true })
    expect(op.calls.filter((c) => c.includes('.well-known'))).toEqual([`GET ${SLASHED}`])
    expect(cachedMetadata()?.url).toBe(`${ISSUER}${SLASHED}`)
  })

  it('a cache written for another metadataUrl is not used: discovered again at the new one', async () => {
    const doc = await discoveryOnlyWithSlash()
    await createAuthClient(options()).login().catch(() => undefined)
    await createAuthClient(options({ provider: { metadataUrl: `${ISSUER}${SLASHED}` } })).login()
    const firstUrl = cachedMetadata()?.url
    expect(firstUrl).toBe(`${ISSUER}${SLASHED}`)
    op.override('/other/meta', () => Response.json(doc))
    op.calls.length = 0
    await createAuthClient(options({ provider: { metadataUrl: `${ISSUER}/other/meta` } })).login()
    expect(op.calls.filter((c) => c.startsWith('GET /other') || c.includes('.well-known'))).toEqual(['GET /other/meta'])
    expect(cachedMetadata()?.url).toBe(`${ISSUER}/other/meta`)
  })
})

describe('an endpoint the provider has but does not advertise (metadataSeed)', () => {
  it('without the seed, logout cannot revoke; with it, logout revokes the refresh token there', async () => {
    await replaceProvider({ revocation_endpoint: undefined })
    const plain = await signIn()
    await plain.logout({ localOnly: true })
    expect(op.revoked).toEqual([])

    const provider = { metadataSeed: { revocation_endpoint: `${ISSUER}/revoke` } }
    const auth = await signIn({ provider })
    const refreshToken = storedSession()!.refreshToken
    expect(refreshToken).toBeTruthy()
    await auth.logout()
    expect(op.revoked).toEqual([refreshToken])
    expect(storedSession()).toBeUndefined()
  })

  it('the seed wins over what is advertised and is never written to the cache (it is merged on every read)', async () => {
    await replaceProvider({ revocation_endpoint: `${ISSUER}/revoke-advertised` })
    op.override('/revoke-advertised', () => new Response('gone', { status: 500 }))
    const auth = await signIn({ provider: { metadataSeed: { revocation_endpoint: `${ISSUER}/revoke` } } })
    const refreshToken = storedSession()!.refreshToken
    expect(cachedMetadata()?.as.revocation_endpoint).toBe(`${ISSUER}/revoke-advertised`)
    await auth.logout({ localOnly: true })
    expect(op.revoked).toEqual([refreshToken])
    expect(op.calls).not.toContain('POST /revoke-advertised')
    expect(discoveries()).toBe(1)
  })
})

describe('static metadata (provider.metadata)', () => {
  it('sign-in, refresh and logout with no discovery request and nothing cached', async () => {
    const metadata = {
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/auth`,
      token_endpoint: `${ISSUER}/token`,
      revocation_endpoint: `${ISSUER}/revoke`,
      end_session_endpoint: `${ISSUER}/session/end`,
      code_challenge_methods_supported: ['S256'],
    }
    const auth = await signIn({ provider: { metadata } })
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', error: null })
    await auth.getAccessToken({ forceRefresh: true })
    const refreshToken = storedSession()!.refreshToken
    await auth.logout()
    expect(op.revoked).toEqual([refreshToken])
    expect(new URL(assigned.at(-1)!).pathname).toBe('/session/end')
    expect(discoveries()).toBe(0)
    expect(cachedMetadata()).toBeUndefined()
  })
})

describe('a wrong provider option', () => {
  it('costs nothing at start (start() settles) and login() rejects with a TypeError naming the key, asking the provider nothing', async () => {
    const auth = createAuthClient(options({ provider: { metadata: { issuer: 'https://other.example.test', authorization_endpoint: `${ISSUER}/auth`, token_endpoint: `${ISSUER}/token` } } }))
    await auth.start()
    expect(auth.getSnapshot().status).toBe('unauthenticated')
    const error = await auth.login().then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect(error).toMatchObject({ code: 'ERR_INVALID_OPTION' })
    expect((error as Error).message).toContain('"provider.metadata.issuer"')
    expect(op.calls).toEqual([])
    expect(assigned).toEqual([])
  })

  it('an http metadataUrl off loopback is refused the same way', async () => {
    const auth = createAuthClient(options({ provider: { metadataUrl: 'http://op.example.test/.well-known/openid-configuration/' } }))
    await expect(auth.login()).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_OPTION', message: expect.stringContaining('"provider.metadataUrl"') })
    expect(op.calls).toEqual([])
  })
})
