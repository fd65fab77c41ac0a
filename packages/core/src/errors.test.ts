import { describe, expect, it } from 'vitest'
import { AuthError, isAuthError } from './errors'

describe('AuthError', () => {
  it('instanceof holds for its own errors and for errors carrying its mark (the adapters’ test doubles), not for look-alikes', () => {
    const own = new AuthError('ERR_NETWORK', 'x')
    expect(own).toBeInstanceOf(AuthError)
    expect(own).toBeInstanceOf(Error)
    expect(Object.keys(own)).not.toContain(Symbol.for('tokenkeep.AuthError').toString())
    const marked = Object.defineProperty(Object.assign(new Error('y'), { code: 'ERR_SESSION_EXPIRED' }), Symbol.for('tokenkeep.AuthError'), { value: true })
    expect(isAuthError(marked, 'ERR_SESSION_EXPIRED')).toBe(true)
    expect(isAuthError(Object.assign(new Error('z'), { code: 'ERR_SESSION_EXPIRED', name: 'AuthError' }))).toBe(false)
    expect(isAuthError(null)).toBe(false)
    expect(isAuthError('ERR_NETWORK')).toBe(false)
  })
})
