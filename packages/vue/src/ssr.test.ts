// @vitest-environment node
// No window, document or storage here: importing both entries and rendering on a server must work.
import { createAuthClient } from '@tokenkeep/core'
import { createSSRApp, defineComponent, h } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { RouterView, createMemoryHistory, createRouter, useRoute } from 'vue-router'
import { expect, it, vi } from 'vitest'
import { createAuthPlugin, useAuth } from './index'
import { createAuthGuard } from './router'

it('renders the loading state on the server and never starts the client', async () => {
  expect(typeof window).toBe('undefined')
  const auth = createAuthClient({ issuer: 'https://op.example.test', clientId: 'c', redirectUri: 'https://app.example.test/callback' })
  const start = vi.spyOn(auth, 'start')
  expect(typeof createAuthGuard(auth)).toBe('function')
  const Status = defineComponent(() => {
    const { status } = useAuth()
    return () => h('p', status.value)
  })
  const app = createSSRApp(Status).use(createAuthPlugin(auth))
  expect(await renderToString(app)).toBe('<p>loading</p>')
  expect(start).not.toHaveBeenCalled()
})

// Regression: the guard read `location` on the server ("ReferenceError: location is not defined"
// during a server render with memory history).
it('renders a protected route with the router guard on the server (memory history)', async () => {
  const auth = createAuthClient({ issuer: 'https://op.example.test', clientId: 'c', redirectUri: 'https://app.example.test/callback' })
  const start = vi.spyOn(auth, 'start')
  const login = vi.spyOn(auth, 'login')
  const Orders = defineComponent(() => {
    const { status, isAuthenticated } = useAuth()
    const route = useRoute()
    return () => h('p', `${status.value} ${String(isAuthenticated.value)} ${route.fullPath}`)
  })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Orders },
      { path: '/orders', component: Orders, meta: { requiresAuth: true } },
    ],
  })
  router.beforeEach(createAuthGuard(auth))
  const app = createSSRApp(() => h(RouterView)).use(createAuthPlugin(auth)).use(router)
  await router.push('/orders?tab=open#latest')
  await router.isReady()
  expect(await renderToString(app)).toBe('<p>loading false /orders?tab=open#latest</p>')
  expect(start).not.toHaveBeenCalled()
  expect(login).not.toHaveBeenCalled()
})
