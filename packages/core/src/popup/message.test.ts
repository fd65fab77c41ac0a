import { describe, expect, it } from 'vitest'
import { isPopupAck, popupAckMessage, popupResponseMessage, readPopupResponse } from './message'

const origin = 'https://app.example'
const expected = { origin, redirectUri: `${origin}/popup-callback.html`, state: 'st-123' }
const response = (query: string, base = expected.redirectUri) => popupResponseMessage(`${base}?${query}`)

describe('readPopupResponse: which messages the opener trusts', () => {
  it('accepts a response from its own origin, on the popup page, with the pending state', () => {
    const url = readPopupResponse(response('code=c1&state=st-123&iss=https%3A%2F%2Fop'), origin, expected)
    expect(url?.searchParams.get('code')).toBe('c1')
  })

  it('accepts a provider error with the pending state (the opener turns it into ERR_AUTHORIZATION)', () => {
    expect(readPopupResponse(response('error=access_denied&state=st-123'), origin, expected)).toBeInstanceOf(URL)
  })

  it('keeps a query of the registered popup redirect URI', () => {
    const exp = { ...expected, redirectUri: `${origin}/cb?popup=1` }
    expect(readPopupResponse(response('popup=1&code=c&state=st-123', `${origin}/cb`), origin, exp)).toBeInstanceOf(URL)
  })

  it('ignores messages sent from another origin, even with the right state', () => {
    const msg = response('code=c1&state=st-123')
    expect(readPopupResponse(msg, 'https://evil.example', expected)).toBeUndefined()
    expect(readPopupResponse(msg, 'null', expected)).toBeUndefined()
    expect(readPopupResponse(msg, '', expected)).toBeUndefined()
    expect(readPopupResponse(msg, 'http://app.example', expected)).toBeUndefined()
  })

  it('ignores a response URL on another origin or another page', () => {
    expect(readPopupResponse(response('code=c&state=st-123', 'https://evil.example/popup-callback.html'), origin, expected)).toBeUndefined()
    expect(readPopupResponse(response('code=c&state=st-123', `${origin}/callback`), origin, expected)).toBeUndefined()
    expect(readPopupResponse(response('code=c&state=st-123', `${origin}/popup-callback.html/x`), origin, expected)).toBeUndefined()
  })

  it('ignores another state, a missing state and a doubled state', () => {
    expect(readPopupResponse(response('code=c&state=st-999'), origin, expected)).toBeUndefined()
    expect(readPopupResponse(response('code=c&state=st-12'), origin, expected)).toBeUndefined()
    expect(readPopupResponse(response('code=c'), origin, expected)).toBeUndefined()
    expect(readPopupResponse(response('code=c&state=st-123&state=st-123'), origin, expected)).toBeUndefined()
    expect(readPopupResponse(response('code=c&state=other&state=st-123'), origin, expected)).toBeUndefined()
  })

  it('ignores a URL that is no authorization response', () => {
    expect(readPopupResponse(response('state=st-123'), origin, expected)).toBeUndefined()
  })

  it('ignores anything of the wrong shape', () => {
    const good = response('code=c&state=st-123')
    for (const data of [
      null,
      undefined,
      'tokenkeep:popup-response',
      good.url,
      { ...good, type: 'other' },
      { type: good.type },
      { type: good.type, url: 42 },
      { type: good.type, url: 'not a url' },
      { type: good.type, url: `${good.url}&pad=${'x'.repeat(9000)}` },
      popupAckMessage('st-123'),
    ]) {
      expect(readPopupResponse(data, origin, expected)).toBeUndefined()
    }
  })
})

describe('acknowledgements', () => {
  it('match only their own state', () => {
    expect(isPopupAck(popupAckMessage('a'), 'a')).toBe(true)
    expect(isPopupAck(popupAckMessage('a'), 'b')).toBe(false)
    expect(isPopupAck(response('code=c&state=a'), 'a')).toBe(false)
    expect(isPopupAck(null, 'a')).toBe(false)
  })
})
