import { cleanup, fireEvent, render, screen } from '@testing-library/vue'
import { defineComponent, h, nextTick } from 'vue'
import { createMemoryHistory, createRouter, RouterView } from 'vue-router'
import { afterEach, describe, expect, it } from 'vitest'
import { createAuthPlugin, useAuth } from './index'
import { createAuthGuard } from './router'
import { createTestAuthClient } from './testing'

/** A component as apps write it: the four states a signed-in app goes through. */
const Account = defineComponent(() => {
  const { status, user, error, login, logout } = useAuth()
  return () => {
    if (status.value === 'loading') return h('p', 'Loading…')
    if (error.value?.code === 'ERR_SESSION_EXPIRED') return h('button', { onClick: () => login() }, 'Your session ended: sign in again')
    if (!user.value) return h('button', { onClick: () => login() }, 'Log in')
    return h('button', { onClick: () => logout() }, `Log out ${String(user.value.name)}`)
  }
})

afterEach(cleanup)

describe('createTestAuthClient (Vue)', () => {
  it('drives a component through loading, signed in, signed out and session ended, with no network', async () => {
    const auth = createTestAuthClient()
    render(Account, { global: { plugins: [createAuthPlugin(auth)] } })
    expect(screen.getByText('Loading…')).toBeTruthy()
    auth.signIn({ sub: 'u1', name: 'Alice' })
    await nextTick()
    expect(screen.getByRole('button').textContent).toBe('Log out Alice')
    auth.endSession()
    await nextTick()
    expect(screen.getByRole('button').textContent).toBe('Your session ended: sign in again')
    await fireEvent.click(screen.getByRole('button'))
    expect(auth.calls.login).toEqual([{}])
    auth.signOut()
    await nextTick()
    expect(screen.getByRole('button').textContent).toBe('Log in')
  })

  it('works with the router guard: a protected route signed out records one login; signed in, it is entered', async () => {
    const auth = createTestAuthClient({ status: 'unauthenticated' })
    const Orders = defineComponent(() => () => h('p', 'Orders'))
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', component: Account },
        { path: '/orders', component: Orders, meta: { requiresAuth: true } },
      ],
    })
    router.beforeEach(createAuthGuard(auth))
    render(defineComponent(() => () => h(RouterView)), { global: { plugins: [createAuthPlugin(auth), router] } })
    await router.push('/')
    void router.push('/orders')
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(auth.calls.login).toEqual([{ returnTo: '/orders' }])
    auth.signIn()
    await router.push('/orders')
    expect(await screen.findByText('Orders')).toBeTruthy()
  })
})
