// The client's storage: keys namespaced per issuer + client, corrupt sessions reported and
// removed, and a store that fails reported once, replaced for the page, and shown by degraded().
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthError } from '../errors'
import { resolveOptions } from '../options'
import { sessionFromTokens } from '../protocol/tokens'
import type { TokenStorage } from '../storage/tokenStorage'
import { CLIENT_ID, ISSUER } from '../test/fakeProvider'
import { createClientStorage } from './clientStorage'

let reports: AuthError[]
const report = (e: AuthError) => void reports.push(e)
const make = (storage: Parameters<typeof resolveOptions>[0]['storage'] = 'session', clientId = CLIENT_ID) =>
  createClientStorage(resolveOptions({ issuer: ISSUER, clientId, redirectUri: `${location.origin}/callback`, storage }), report)
const session = sessionFromTokens({ access_token: 'at-1', token_type: 'Bearer', expires_in: 300, refresh_token: 'rt-1' }, { sub: 'alice' }, Date.now())

const broken = (): TokenStorage => ({
  get: () => Promise.reject(new DOMException('blocked', 'SecurityError')),
  set: () => Promise.reject(new DOMException('quota', 'QuotaExceededError')),
  remove: () => Promise.reject(new DOMException('blocked', 'SecurityError')),
})

beforeEach(() => {
  sessionStorage.clear()
  reports = []
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})
afterEach(() => {
  vi.restoreAllMocks()
})

describe('client storage', () => {
  it('namespaces every key by issuer and client id', () => {
    const a = make().keys
    const b = make('session', 'other-client').keys
    expect(a.session).toBe(`tk:${CLIENT_ID}@${ISSUER}/:session`)
    expect(a.tx('abc')).toBe(`tk:${CLIENT_ID}@${ISSUER}/:tx:abc`)
    expect(new Set([a.session, a.metadata, a.tab, a.txIndex, a.tx('x')]).size).toBe(5)
    expect(b.session).not.toBe(a.session)
  })

  it('opens the store once', async () => {
    const storage = make()
    expect(await storage.open()).toBe(await storage.open())
  })

  it('reads back a stored session', async () => {
    const storage = make()
    await (await storage.open()).set(storage.keys.session, session)
    expect(await storage.readSession()).toEqual(session)
    expect(reports).toEqual([])
  })

  it('a corrupt session is reported as ERR_STORAGE and removed', async () => {
    const storage = make()
    await (await storage.open()).set(storage.keys.session, { ...session, v: 0 })
    expect(await storage.readSession()).toBeUndefined()
    expect(reports).toMatchObject([{ code: 'ERR_STORAGE' }])
    expect(sessionStorage.getItem(storage.keys.session)).toBeNull()
    expect(storage.degraded()).toBeNull() // the store itself works
  })

  it('a record that is not JSON is reported and removed, and the store kept', async () => {
    const storage = make()
    sessionStorage.setItem(storage.keys.session, '{not json')
    expect(await storage.readSession()).toBeUndefined()
    expect(reports.map((e) => e.code)).toEqual(['ERR_STORAGE'])
    expect(sessionStorage.getItem(storage.keys.session)).toBeNull()
    expect(storage.degraded()).toBeNull()
  })

  it('a store that throws: reported once, degraded() says so, and the page keeps working in memory', async () => {
    const storage = make(broken())
    expect(storage.degraded()).toBeNull()
    expect(await storage.readSession()).toBeUndefined()
    expect(storage.degraded()).toBeInstanceOf(AuthError)
    expect(storage.degraded()).toMatchObject({ code: 'ERR_STORAGE' })
    const s = await storage.open()
    await s.set(storage.keys.session, session)
    expect(await storage.readSession()).toEqual(session)
    expect(reports).toHaveLength(1)
    expect(reports[0]).toBe(storage.degraded())
  })

  it('a store whose first write fails falls back too, and the write is kept in memory', async () => {
    const failingWrites: TokenStorage = { get: async () => undefined, set: broken().set, remove: async () => {} }
    const storage = make(failingWrites)
    await (await storage.open()).set(storage.keys.session, session)
    expect(storage.degraded()).toMatchObject({ code: 'ERR_STORAGE' })
    expect(await storage.readSession()).toEqual(session)
  })
})
