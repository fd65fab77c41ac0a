import { createAuthClient, popupLogin } from '@tokenkeep/core'
import { createAuthPlugin } from '@tokenkeep/vue'
import { createAuthGuard } from '@tokenkeep/vue/router'
import { createApp } from 'vue'
import { createRouter, type RouterHistory } from 'vue-router'
import App from './App.vue'
import CallbackPage from './CallbackPage.vue'
import HomePage from './HomePage.vue'
import OrdersPage from './OrdersPage.vue'

/**
 * The whole app, on the history it is given. `redirectPath` is relative to the base: the
 * callback route in history mode, the page itself in hash mode (the provider cannot send the
 * browser to a hash route).
 */
export function mountApp(history: RouterHistory, redirectPath: string): void {
  const app = new URL(import.meta.env.BASE_URL, location.origin)
  const auth = createAuthClient({
    issuer: import.meta.env.VITE_ISSUER ?? 'http://127.0.0.1:9080',
    clientId: import.meta.env.VITE_CLIENT_ID ?? 'tokenkeep-demo',
    redirectUri: new URL(redirectPath, app).href,
    postLogoutRedirectUri: new URL(redirectPath === 'callback' ? '' : redirectPath, app).href,
    storage: 'indexeddb',
    popup: popupLogin({ redirectUri: new URL('popup-callback.html', app).href }),
  })
  const router = createRouter({
    history,
    routes: [
      { path: '/', component: HomePage },
      { path: '/callback', component: CallbackPage },
      { path: '/orders/:id?', component: OrdersPage, meta: { requiresAuth: true } },
    ],
  })
  // When the provider ends the session: keep the page with a prompt (the default), or go to the
  // provider at once ('login', set in localStorage 'tk-example-on-session-end' to try it).
  const onSessionEnd = localStorage.getItem('tk-example-on-session-end') === 'login' ? 'login' : 'keep'
  router.beforeEach(createAuthGuard(auth, { onSessionEnd }))
  createApp(App).use(createAuthPlugin(auth)).use(router).mount('#app')
}
