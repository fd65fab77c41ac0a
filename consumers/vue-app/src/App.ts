import type { AuthClient } from '@tokenkeep/core'
import { useAuth } from '@tokenkeep/vue'
import { createAuthGuard } from '@tokenkeep/vue/router'
import { defineComponent, h } from 'vue'
import { createRouter, RouterLink, RouterView, useRoute, type RouterHistory, type Router } from 'vue-router'

const Home = defineComponent(() => {
  const { status, user, login, logout } = useAuth()
  return () => {
    if (status.value === 'loading') return h('p', { 'data-testid': 'status' }, 'Loading…')
    const name = user.value ? String(user.value.name) : undefined
    return h('section', [
      h('p', { 'data-testid': 'status' }, name ? `Signed in as ${name}` : 'Signed out'),
      name
        ? h('button', { onClick: () => void logout() }, 'Log out')
        : h('button', { onClick: () => void login() }, 'Log in'),
    ])
  }
})

// The guard lets only a signed-in user in; on the server it decides nothing, so the page renders
// its loading state until the browser's guard has run.
const Orders = defineComponent(() => {
  const { isAuthenticated, user, logout } = useAuth()
  const route = useRoute()
  return () =>
    isAuthenticated.value
      ? h('section', [
          h('h1', { 'data-testid': 'orders' }, `Orders of ${String(user.value?.name)}`),
          h('p', { 'data-testid': 'where' }, route.fullPath),
          h('button', { onClick: () => void logout() }, 'Log out'),
        ])
      : h('p', { 'data-testid': 'wait' }, 'Loading…')
})

/** The root component: navigation and the current route. */
export const App = defineComponent(() => () => [
  h('nav', [h(RouterLink, { to: '/' }, () => 'Home'), ' ', h(RouterLink, { to: '/orders?tab=open#latest' }, () => 'Orders')]),
  h(RouterView),
])

/** The app's router on `history` (web history in the browser, memory history on the server). */
export function createAppRouter(history: RouterHistory, auth: AuthClient): Router {
  const router = createRouter({
    history,
    routes: [
      { path: '/', component: Home },
      { path: '/callback', component: Home },
      { path: '/orders', component: Orders, meta: { requiresAuth: true } },
    ],
  })
  router.beforeEach(createAuthGuard(auth))
  return router
}
