import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { handleSilentCallback } from './handleSilentCallback'

const RESPONSE = '/silent-callback.html?code=c1&state=s1&iss=https%3A%2F%2Fop.example.test'
let post: ReturnType<typeof vi.fn>

beforeEach(() => {
  post = vi.fn()
  history.replaceState(null, '', RESPONSE)
})
afterEach(() => {
  vi.restoreAllMocks()
})

const framed = () => vi.spyOn(window, 'parent', 'get').mockReturnValue({ postMessage: post } as unknown as Window)

describe('handleSilentCallback', () => {
  it('posts the whole response to the framing page, aimed at its own origin only', () => {
    framed()
    expect(handleSilentCallback()).toBe('delivered')
    expect(post).toHaveBeenCalledOnce()
    expect(post).toHaveBeenCalledWith({ type: 'tokenkeep:silent-response', url: `${location.origin}${RESPONSE}` }, location.origin)
  })

  it('removes code and state from the frame’s URL', () => {
    framed()
    history.replaceState(null, '', '/silent-callback.html?keep=1&code=c1&state=s1#h')
    handleSilentCallback()
    expect(location.pathname + location.search + location.hash).toBe('/silent-callback.html?keep=1#h')
  })

  it('posts nothing when the page is not in a frame', () => {
    expect(handleSilentCallback()).toBe('no-parent')
    expect(location.search).toBe('')
  })

  it('posts nothing when the URL holds no authorization response', () => {
    framed()
    history.replaceState(null, '', '/silent-callback.html')
    expect(handleSilentCallback()).toBe('no-response')
    history.replaceState(null, '', '/silent-callback.html?code=c1') // no state
    expect(handleSilentCallback()).toBe('no-response')
    expect(post).not.toHaveBeenCalled()
  })
})
