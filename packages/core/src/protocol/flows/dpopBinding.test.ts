// DPoP binding of the authorization request (RFC 9449 §10): dpop_jkt when the parameters travel in
// the URL, the pushed request's proof when they are pushed; the transaction remembers the key.
import { describe, expect, it } from 'vitest'
import { createFakeProvider, CLIENT_ID, ISSUER } from '../../test/fakeProvider'
import { createAuthorizationRequest, parseTransaction } from './authorize'
import { discover } from './discovery'

const base = {
  clientId: CLIENT_ID,
  redirectUri: 'https://app.example.test/callback',
  scope: 'openid',
  mode: 'redirect' as const,
  now: 0,
  ttlMs: 60_000,
}

describe('authorization request with a DPoP key', () => {
  it('carries dpop_jkt and the key id goes into the transaction; an app cannot override dpop_jkt', async () => {
    const op = await createFakeProvider()
    const as = await discover(new URL(ISSUER), { fetch: op.fetch, timeoutMs: 1000, allowHttp: false })
    const { url, transaction } = await createAuthorizationRequest(as, {
      ...base,
      extraParams: { dpop_jkt: 'forged' },
      dpop: { keyId: 'k-1', jkt: 'thumb' },
    })
    expect(url.searchParams.getAll('dpop_jkt')).toEqual(['thumb'])
    expect(transaction.dpopKey).toBe('k-1')
    expect(parseTransaction(JSON.parse(JSON.stringify(transaction)))?.dpopKey).toBe('k-1')
    expect(parseTransaction({ ...transaction, dpopKey: 7 })).toBeUndefined()
  })

  it('without a key: no dpop_jkt, no key id', async () => {
    const op = await createFakeProvider()
    const as = await discover(new URL(ISSUER), { fetch: op.fetch, timeoutMs: 1000, allowHttp: false })
    const { url, transaction } = await createAuthorizationRequest(as, base)
    expect(url.searchParams.has('dpop_jkt')).toBe(false)
    expect('dpopKey' in transaction).toBe(false)
  })

  it('pushed: the thumbprint stays out of the parameters (the PAR request proof binds the key)', async () => {
    const op = await createFakeProvider()
    const http = { fetch: op.fetch, timeoutMs: 1000, allowHttp: false }
    const as = await discover(new URL(ISSUER), http)
    const { url } = await createAuthorizationRequest(as, { ...base, push: { client: { client_id: CLIENT_ID }, http }, dpop: { keyId: 'k-1', jkt: 'thumb' } })
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])
    expect([...op.pushed.values()][0]!.has('dpop_jkt')).toBe(false)
  })
})
