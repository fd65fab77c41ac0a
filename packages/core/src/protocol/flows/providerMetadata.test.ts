// The `provider` option checked against the issuer, and discovery errors that say what the
// provider answered and which option to set.
import { describe, expect, it } from 'vitest'
import { AuthError, optionError } from '../../errors'
import { secureUrl } from '../../options'
import type { ProviderOptions } from '../../providerOptions'
import { discover } from './discovery'
import type { HttpOptions } from './http'
import { explainDiscoveryFailure, metadataSource, standardMetadataUrl, type ProviderKit } from './providerMetadata'

// What protocol/metadataCache.ts lends the module.
const kit: ProviderKit = { optionError, secureUrl, authError: (code, message, options) => new AuthError(code, message, options) }

const ISSUER = new URL('https://id.example.test')
const STATIC = {
  issuer: 'https://id.example.test',
  authorization_endpoint: 'https://id.example.test/authorize',
  token_endpoint: 'https://id.example.test/token',
}

/** The TypeError metadataSource throws for `provider`, as { code, message }. */
function refusal(provider: unknown, issuer = ISSUER): { code?: string; message: string } {
  try {
    metadataSource(issuer, provider as ProviderOptions, kit)
  } catch (e) {
    expect(e).toBeInstanceOf(TypeError)
    return { code: (e as { code?: string }).code, message: (e as Error).message }
  }
  throw new Error('accepted')
}

describe('provider option', () => {
  it('the standard address is the one oauth4webapi asks', () => {
    expect(standardMetadataUrl(ISSUER).href).toBe('https://id.example.test/.well-known/openid-configuration')
    expect(standardMetadataUrl(new URL('https://id.example.test/tenant/')).href).toBe('https://id.example.test/tenant/.well-known/openid-configuration')
    expect(standardMetadataUrl(new URL('https://id.example.test/tenant')).href).toBe('https://id.example.test/tenant/.well-known/openid-configuration')
  })

  it('metadataUrl: a string or a URL, https or loopback http; the seed kept as given', () => {
    const url = 'https://id.example.test/.well-known/openid-configuration/'
    expect(metadataSource(ISSUER, { metadataUrl: url }, kit)).toEqual({ url: new URL(url), seed: undefined })
    expect(metadataSource(ISSUER, { metadataUrl: new URL(url) }, kit)).toMatchObject({ url: new URL(url) })
    expect(metadataSource(ISSUER, { metadataUrl: 'http://127.0.0.1:9080/meta' }, kit)).toMatchObject({ url: new URL('http://127.0.0.1:9080/meta') })
    const seed = { revocation_endpoint: 'https://id.example.test/revoke', issuer: 'https://id.example.test/' }
    expect(metadataSource(ISSUER, { metadataSeed: seed }, kit)).toEqual({ url: undefined, seed })
  })

  it.each([
    ['not a URL', { metadataUrl: 'discovery.json' }, 'provider.metadataUrl', 'absolute URL'],
    ['empty', { metadataUrl: '' }, 'provider.metadataUrl', 'non-empty string'],
    ['plain http off loopback', { metadataUrl: 'http://id.example.test/meta' }, 'provider.metadataUrl', 'https'],
    ['a seed endpoint over plain http', { metadataSeed: { revocation_endpoint: 'http://id.example.test/revoke' } }, 'provider.metadataSeed.revocation_endpoint', 'https'],
    ['a seed endpoint that is no URL', { metadataSeed: { end_session_endpoint: 'logout' } }, 'provider.metadataSeed.end_session_endpoint', 'absolute URL'],
    ['a seed for another issuer', { metadataSeed: { issuer: 'https://other.example.test' } }, 'provider.metadataSeed.issuer', 'must equal the issuer option'],
    ['a seed that is no object', { metadataSeed: 'revocation' }, 'provider.metadataSeed', 'must be an object'],
    ['metadata of another issuer', { metadata: { ...STATIC, issuer: 'https://other.example.test' } }, 'provider.metadata.issuer', 'must equal the issuer option (https://id.example.test/)'],
    ['metadata without issuer', { metadata: { ...STATIC, issuer: undefined } }, 'provider.metadata.issuer', 'must equal'],
    ['metadata without token_endpoint', { metadata: { ...STATIC, token_endpoint: undefined } }, 'provider.metadata.token_endpoint', 'is required'],
    ['metadata with an http endpoint', { metadata: { ...STATIC, token_endpoint: 'http://id.example.test/token' } }, 'provider.metadata.token_endpoint', 'https'],
    ['metadata with an http jwks_uri', { metadata: { ...STATIC, jwks_uri: 'http://id.example.test/jwks' } }, 'provider.metadata.jwks_uri', 'https'],
    ['metadata and a metadataUrl', { metadata: STATIC, metadataUrl: 'https://id.example.test/meta' }, 'provider.metadata', 'give neither'],
    ['no object at all', 'https://id.example.test/meta', 'provider', 'must be an object'],
  ])('refuses %s with a TypeError naming the key', (_, provider, key, words) => {
    const { code, message } = refusal(provider)
    expect(code).toBe('ERR_INVALID_OPTION')
    expect(message).toContain(`option "${key}"`)
    expect(message).toContain(words)
  })

  it('static metadata: taken as given (frozen), issuer compared as a URL', () => {
    const source = metadataSource(ISSUER, { metadata: { ...STATIC, issuer: 'https://id.example.test/' } }, kit)
    expect(source.metadata).toMatchObject({ token_endpoint: STATIC.token_endpoint })
    expect(Object.isFrozen(source.metadata)).toBe(true)
  })
})

const http = (answer: (url: string, init?: RequestInit) => Response) => {
  const asked: { url: string; redirect?: RequestRedirect }[] = []
  return {
    asked,
    http: <HttpOptions>{
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        asked.push({ url: String(input), ...(init?.redirect ? { redirect: init.redirect } : {}) })
        return answer(String(input), init)
      }) as typeof fetch,
      timeoutMs: 1000,
      allowHttp: false,
    },
  }
}

async function discoveryError(promise: Promise<unknown>): Promise<AuthError> {
  const e = await promise.then(() => undefined, (err: unknown) => err)
  expect(e).toBeInstanceOf(AuthError)
  return e as AuthError
}

const STANDARD = new URL('https://id.example.test/.well-known/openid-configuration')
/** The explanation parts/metadataCache.ts wires into discover(). */
const explain = (h: HttpOptions) => (error: unknown, response: Response, at: URL | undefined) => explainDiscoveryFailure(error, response, ISSUER, at, h, kit)

describe('discovery errors say what the provider answered and which option to set', () => {
  it('a 301: the address asked, the status, its Location and provider.metadataUrl; the redirect is not followed', async () => {
    const { http: h, asked } = http(() => new Response(null, { status: 301, headers: { location: '/.well-known/openid-configuration/' } }))
    const e = await discoveryError(discover(ISSUER, h, undefined, explain(h)))
    expect(e.code).toBe('ERR_DISCOVERY')
    expect(e.status).toBe(301)
    expect(e.message).toContain(`GET ${STANDARD.href} answered HTTP 301 with Location https://id.example.test/.well-known/openid-configuration/`)
    expect(e.message).toContain("set provider.metadataUrl to 'https://id.example.test/.well-known/openid-configuration/'")
    expect(asked).toEqual([{ url: STANDARD.href, redirect: 'manual' }])
  })

  it("a browser's opaque redirect: the Location learnt by following once, never using that answer", async () => {
    const target = 'https://id.example.test/.well-known/openid-configuration/'
    const { http: h, asked } = http((_url, init) => {
      if (init?.redirect === 'manual') {
        const opaque = new Response(null, { status: 200 })
        Object.defineProperties(opaque, { type: { value: 'opaqueredirect' }, status: { value: 0 } })
        return opaque
      }
      const followed = new Response(JSON.stringify(STATIC), { status: 200 })
      Object.defineProperties(followed, { redirected: { value: true }, url: { value: target } })
      return followed
    })
    const e = await discoveryError(discover(ISSUER, h, undefined, explain(h)))
    expect(e.message).toContain(`GET ${STANDARD.href} answered a redirect (HTTP 3xx; the browser does not show which) with Location ${target}`)
    expect(e.message).toContain(`set provider.metadataUrl to '${target}'`)
    expect(asked.map((a) => a.redirect ?? 'follow')).toEqual(['manual', 'follow'])
  })

  it('a 404: the address, the status and both options', async () => {
    const { http: h } = http(() => new Response('not found', { status: 404 }))
    const e = await discoveryError(discover(ISSUER, h, undefined, explain(h)))
    expect(e).toMatchObject({ code: 'ERR_DISCOVERY', status: 404 })
    expect(e.message).toContain(`GET ${STANDARD.href} answered HTTP 404`)
    expect(e.message).toContain('provider.metadataUrl')
    expect(e.message).toContain('provider.metadata ')
  })

  it('a document for another issuer at a given metadataUrl: refused, with the address', async () => {
    const url = new URL('https://id.example.test/meta')
    const { http: h } = http(() => Response.json({ ...STATIC, issuer: 'https://other.example.test' }))
    const e = await discoveryError(discover(ISSUER, h, url, explain(h)))
    expect(e.code).toBe('ERR_DISCOVERY')
    expect(e.message).toContain(`the document at ${url.href} names the issuer "https://other.example.test", not the issuer option "https://id.example.test/"`)
    expect(e.message).not.toContain('provider.metadataUrl')
  })

  it('a given metadataUrl is asked with GET, JSON accepted, redirects not followed', async () => {
    const url = new URL('https://id.example.test/.well-known/openid-configuration/')
    const { http: h, asked } = http(() => Response.json(STATIC))
    expect(await discover(ISSUER, h, url, explain(h))).toEqual(STATIC)
    expect(asked).toEqual([{ url: url.href, redirect: 'manual' }])
  })

  it('without the explanation (its chunk failed to load) the plain ERR_DISCOVERY stays', async () => {
    const { http: h } = http(() => new Response(null, { status: 301, headers: { location: '/elsewhere' } }))
    const e = await discoveryError(discover(ISSUER, h, undefined, () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'))))
    expect(e).toMatchObject({ code: 'ERR_DISCOVERY', status: 301 })
    expect(e.message).toContain('unexpected HTTP status code')
  })

  it('no answer at all is ERR_NETWORK, as for the standard address', async () => {
    const h = { fetch: (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch, timeoutMs: 1000, allowHttp: false }
    expect((await discoveryError(discover(ISSUER, h, new URL('https://id.example.test/meta'), explain(h)))).code).toBe('ERR_NETWORK')
  })
})
