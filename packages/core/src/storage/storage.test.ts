import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AuthError } from '../errors'
import { createFallbackStorage } from './fallbackStorage'
import { createGuardedStorage } from './guardedStorage'
import { indexedDbStore } from './indexedDbStorage'
import { createMemoryStorage } from './memoryStorage'
import type { TokenStorage } from './tokenStorage'
import { localStore, sessionStore } from './webStorage'

const record = { v: 1, accessToken: 'a', nested: { list: [1, 2, 3] }, at: 12 }

const stores: Record<string, () => TokenStorage> = {
  memory: createMemoryStorage,
  session: sessionStore,
  local: localStore,
  indexeddb: () => indexedDbStore(`test-${crypto.randomUUID()}`),
}

describe.each(Object.entries(stores))('%s store', (_name, make) => {
  it('round-trips values and removes them', async () => {
    const store = make()
    expect(await store.get('k')).toBeUndefined()
    await store.set('k', record)
    expect(await store.get('k')).toEqual(record)
    await store.set('k', { ...record, at: 13 })
    expect(await store.get<typeof record>('k')).toMatchObject({ at: 13 })
    await store.remove('k')
    expect(await store.get('k')).toBeUndefined()
    await store.remove('never-set')
  })

  it('hands out copies, so a caller cannot mutate what is stored', async () => {
    const store = make()
    const value = { list: [1] }
    await store.set('k', value)
    value.list.push(2)
    const read = await store.get<typeof value>('k')
    read!.list.push(3)
    expect(await store.get('k')).toEqual({ list: [1] })
  })
})

describe('indexeddb store', () => {
  it('keeps values a JSON store cannot (structured clone: Dates, Maps, typed arrays)', async () => {
    const store = indexedDbStore(`test-${crypto.randomUUID()}`)
    const value = { when: new Date(5), map: new Map([['a', 1]]), bytes: new Uint8Array([1, 2]) }
    await store.set('k', value)
    expect(await store.get('k')).toEqual(value)
  })

  it('two databases never see each other', async () => {
    const a = indexedDbStore(`a-${crypto.randomUUID()}`)
    const b = indexedDbStore(`b-${crypto.randomUUID()}`)
    await a.set('k', 1)
    expect(await b.get('k')).toBeUndefined()
  })
})

describe('createGuardedStorage', () => {
  afterEach(() => vi.restoreAllMocks())

  const throwing = (): TokenStorage => ({
    get: () => Promise.reject(new DOMException('denied', 'SecurityError')),
    set: () => {
      throw new DOMException('full', 'QuotaExceededError')
    },
    remove: () => Promise.reject(new Error('gone')),
  })

  it('falls back to memory once, with one warning and one ERR_STORAGE report', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const reports: AuthError[] = []
    const store = createGuardedStorage(throwing(), { report: (e) => reports.push(e) })
    expect(await store.get('k')).toBeUndefined()
    await store.set('k', 1)
    expect(await store.get('k')).toBe(1)
    await store.remove('k')
    expect(await store.get('k')).toBeUndefined()
    expect(reports.map((e) => e.code)).toEqual(['ERR_STORAGE'])
    expect(warn).toHaveBeenCalledTimes(1)
  })

  it('a write that throws still lands (in memory) so the sign-in is not lost', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const store = createGuardedStorage(
      { ...createMemoryStorage(), set: () => Promise.reject(new DOMException('full', 'QuotaExceededError')) },
      { report: () => {} },
    )
    await store.set('session', { ok: true })
    expect(await store.get('session')).toEqual({ ok: true })
  })

  it('a store that never answers (blocked IndexedDB) is treated as broken after the timeout', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const reports: AuthError[] = []
    const hanging: TokenStorage = { get: () => new Promise(() => {}), set: () => new Promise(() => {}), remove: () => new Promise(() => {}) }
    const store = createGuardedStorage(hanging, { report: (e) => reports.push(e), timeoutMs: 20 })
    expect(await store.get('k')).toBeUndefined()
    await store.set('k', 2)
    expect(await store.get('k')).toBe(2)
    expect(reports).toHaveLength(1)
  })

  it('a value that does not parse is removed and reported, and the store stays in use', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    sessionStorage.setItem('bad', '{oops')
    sessionStorage.setItem('good', '"fine"')
    const reports: AuthError[] = []
    const store = createGuardedStorage(sessionStore(), { report: (e) => reports.push(e) })
    expect(await store.get('bad')).toBeUndefined()
    expect(sessionStorage.getItem('bad')).toBeNull()
    expect(await store.get('good')).toBe('fine')
    await store.set('new', 1)
    expect(sessionStorage.getItem('new')).toBe('1')
    expect(reports.map((e) => e.code)).toEqual(['ERR_STORAGE'])
  })

  it('IndexedDB missing entirely falls back to memory', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const original = globalThis.indexedDB
    // @ts-expect-error simulate a browser without IndexedDB
    delete globalThis.indexedDB
    try {
      const reports: AuthError[] = []
      const store = createGuardedStorage(indexedDbStore('missing'), { report: (e) => reports.push(e) })
      await store.set('k', 1)
      expect(await store.get('k')).toBe(1)
      expect(reports).toHaveLength(1)
    } finally {
      globalThis.indexedDB = original
    }
  })
})

describe('createFallbackStorage (after the app store failed)', () => {
  const isTx = (key: string) => key.startsWith('tx:')
  /** sessionStorage-like store whose writes or reads throw, like a full quota or a denied area. */
  const faulty = (fail: { set?: boolean; get?: boolean }): TokenStorage => {
    const real = sessionStore()
    return {
      get: (k) => (fail.get ? Promise.reject(new DOMException('denied', 'SecurityError')) : real.get(k)),
      set: (k, v) => (fail.set ? Promise.reject(new DOMException('full', 'QuotaExceededError')) : real.set(k, v)),
      remove: (k) => real.remove(k),
    }
  }
  afterEach(() => {
    vi.restoreAllMocks()
    vi.unstubAllGlobals()
    sessionStorage.clear()
  })

  it('regression (popup login on a full quota): a transaction written to memory is read back from memory, not sessionStorage', async () => {
    sessionStorage.setItem('tx:s1', JSON.stringify({ stale: true }))
    // The browser's own sessionStorage, refusing every write while reads still work.
    const real = sessionStorage
    vi.stubGlobal('sessionStorage', {
      getItem: (k: string) => real.getItem(k),
      removeItem: (k: string) => real.removeItem(k),
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError')
      },
    })
    const store = createFallbackStorage(isTx)
    await store.set('tx:s1', { fresh: true })
    expect(await store.get('tx:s1')).toEqual({ fresh: true })
    expect(store.persists('tx:s1')).toBe(false)
    await store.set('tx:s2', { n: 2 })
    expect(await store.get('tx:s2')).toEqual({ n: 2 })
    await store.remove('tx:s2')
    expect(await store.get('tx:s2')).toBeUndefined()
  })

  it('reads that fail: nothing goes to sessionStorage, every key round-trips through memory', async () => {
    const store = createFallbackStorage(isTx, faulty({ get: true }))
    await store.set('tx:s', { n: 1 })
    expect(await store.get('tx:s')).toEqual({ n: 1 })
    expect(store.persists('tx:s')).toBe(false)
    expect(sessionStorage.length).toBe(0)
  })

  it('a working sessionStorage keeps transactions across the redirect, and nothing else', async () => {
    const store = createFallbackStorage(isTx)
    await store.set('tx:s', { n: 1 })
    await store.set('session', { accessToken: 'a' })
    expect(store.persists('tx:s')).toBe(true)
    expect(store.persists('session')).toBe(false)
    expect(Object.keys(sessionStorage)).toEqual(['tx:s'])
    // The page the provider sends the user back to reads it from sessionStorage.
    expect(await createFallbackStorage(isTx).get('tx:s')).toEqual({ n: 1 })
  })

  it('a write that no longer fits goes to memory and removes the older sessionStorage copy', async () => {
    let full = false
    const real = sessionStore()
    const filling: TokenStorage = { ...real, set: (k, v) => (full ? Promise.reject(new DOMException('full', 'QuotaExceededError')) : real.set(k, v)) }
    const store = createFallbackStorage(isTx, filling)
    await store.set('tx:s', { n: 1 })
    full = true
    await store.set('tx:s', { n: 2 })
    expect(await store.get('tx:s')).toEqual({ n: 2 })
    expect(store.persists('tx:s')).toBe(false)
    expect(sessionStorage.getItem('tx:s')).toBeNull()
  })

  it('the guard says whether a key survives a navigation: the app store, then the fallback', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    let broken = false
    const inner = createMemoryStorage()
    const flaky: TokenStorage = { ...inner, set: (k, v) => (broken ? Promise.reject(new DOMException('full', 'QuotaExceededError')) : inner.set(k, v)) }
    const guarded = createGuardedStorage(flaky, { report: () => {}, fallback: () => createFallbackStorage(isTx, faulty({ set: true })) })
    await guarded.set('tx:a', 1)
    expect(guarded.persists('tx:a')).toBe(true)
    broken = true
    await guarded.set('tx:b', 2)
    expect(guarded.persists('tx:b')).toBe(false)
    expect(await guarded.get('tx:b')).toBe(2)
    expect(createGuardedStorage(createMemoryStorage(), { report: () => {}, persistent: false }).persists('tx:a')).toBe(false)
  })
})
