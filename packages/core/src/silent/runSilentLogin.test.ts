import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthError } from '../errors'
import { silentResponseMessage } from './message'
import { runSilentLogin, type SilentLoginDeps } from './runSilentLogin'

const redirectUri = `${location.origin}/silent-callback.html`
const STATE = 'st-1'

let frameWindow: Window
let frames: { url: URL; removed: boolean }[]
let discarded: string[]

function deps(extra: Partial<SilentLoginDeps> = {}): SilentLoginDeps {
  return {
    redirectUri,
    timeoutMs: 10_000,
    prepare: async () => ({ url: new URL(`https://op.example.test/auth?state=${STATE}&prompt=none`), state: STATE }),
    discard: async (state) => void discarded.push(state),
    frame: (url) => {
      const record = { url, removed: false }
      frames.push(record)
      return { window: frameWindow, remove: () => void (record.removed = true) }
    },
    ...extra,
  }
}

/** Posts a message to this window the way a frame would. */
function post(data: unknown, { origin = location.origin, source = frameWindow }: { origin?: string; source?: unknown } = {}): void {
  window.dispatchEvent(new MessageEvent('message', { data, origin, source: source as Window }))
}
const answer = (query: string, base = redirectUri) => silentResponseMessage(`${base}?${query}`)

beforeEach(() => {
  vi.useFakeTimers()
  frameWindow = {} as Window
  frames = []
  discarded = []
})
afterEach(() => {
  vi.useRealTimers()
})

/** Lets prepare() settle and the frame be created. */
const started = async () => {
  await vi.advanceTimersByTimeAsync(0)
  expect(frames).toHaveLength(1)
}

describe('runSilentLogin: which answers the framing page trusts', () => {
  it('resolves with the response its own frame posted from its own origin with the pending state, then removes the frame', async () => {
    const run = runSilentLogin(deps())
    await started()
    expect(frames[0]!.url.searchParams.get('prompt')).toBe('none')
    post(answer(`code=c1&state=${STATE}`))
    const url = await run
    expect(url.searchParams.get('code')).toBe('c1')
    expect(frames[0]!.removed).toBe(true)
    expect(discarded).toEqual([])
  })

  it('ignores a wrong origin, a wrong state, another source, another page and another message type; then times out', async () => {
    const run = runSilentLogin(deps())
    const outcome = run.catch((e: unknown) => e)
    await started()
    post(answer(`code=c1&state=${STATE}`), { origin: 'https://evil.example' })
    post(answer('code=c1&state=someone-else'))
    post(answer(`code=c1&state=${STATE}`), { source: {} })
    post(answer(`code=c1&state=${STATE}`), { source: null })
    post(answer(`code=c1&state=${STATE}`, `${location.origin}/callback`))
    post({ type: 'tokenkeep:popup-response', url: `${redirectUri}?code=c1&state=${STATE}` })
    post(answer(`state=${STATE}`)) // neither code nor error: not a response
    await vi.advanceTimersByTimeAsync(9_999)
    expect(frames[0]!.removed).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    const error = (await outcome) as AuthError
    expect(error).toBeInstanceOf(AuthError)
    expect(error.code).toBe('ERR_SILENT_AUTH')
    expect(frames[0]!.removed).toBe(true)
    expect(discarded).toEqual([STATE])
  })

  it('the timeout error names the likely causes', async () => {
    const outcome = runSilentLogin(deps({ timeoutMs: 3_000 })).catch((e: unknown) => e)
    await started()
    await vi.advanceTimersByTimeAsync(3_000)
    const { message } = (await outcome) as AuthError
    expect(message).toMatch(/within 3 s/)
    expect(message).toMatch(/third-party cookies/)
    expect(message).toMatch(/X-Frame-Options/)
    expect(message).toMatch(/frame-ancestors/)
    // A provider that shows an HTML error page for prompt=none (demo/op's silentErrorPage mode).
    expect(message).toContain('answers prompt=none with a page of its own')
    expect(message).toContain('/silent-callback.html')
  })

  it('passes a provider error through as a response (the caller turns it into an AuthError)', async () => {
    const run = runSilentLogin(deps())
    await started()
    post(answer(`error=login_required&state=${STATE}`))
    expect((await run).searchParams.get('error')).toBe('login_required')
  })

  it('stops listening once settled: a late answer changes nothing', async () => {
    const remove = vi.spyOn(window, 'removeEventListener')
    const run = runSilentLogin(deps())
    await started()
    post(answer(`code=c1&state=${STATE}`))
    await run
    expect(remove).toHaveBeenCalledWith('message', expect.any(Function))
  })

  it('a failing prepare() rejects without creating a frame', async () => {
    const failure = new AuthError('ERR_NETWORK', 'offline')
    await expect(runSilentLogin(deps({ prepare: () => Promise.reject(failure) }))).rejects.toBe(failure)
    expect(frames).toEqual([])
  })
})
