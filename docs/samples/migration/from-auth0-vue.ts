import App from '../support/App.vue'
import Home from '../support/Home.vue'
import Orders from '../support/Orders.vue'
// ---cut---
import { createAuthClient } from '@tokenkeep/core'
import { createAuthPlugin } from '@tokenkeep/vue'
import { createAuthGuard } from '@tokenkeep/vue/router'
import { createApp } from 'vue'
import { createRouter, createWebHashHistory } from 'vue-router'

// createAuth0({ domain, clientId, authorizationParams: { redirect_uri: window.location.origin } })
const auth = createAuthClient({
  issuer: 'https://shop.eu.auth0.com/', // `https://${domain}/`
  clientId: 'Q2hhbmdlIG1lIHRvIHlvdXIgaWQ',
  // Hash history: the provider cannot return to '#/orders', so the page itself is the redirect
  // URI (registered exactly so); start() restores the hash route the login began on.
  redirectUri: `${location.origin}/`,
  postLogoutRedirectUri: `${location.origin}/`,
  scope: 'openid profile email offline_access', // useRefreshTokens: true
  storage: 'indexeddb', // cacheLocation: 'localstorage'
})

const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', component: Home },
    // auth0-vue: { path: '/orders', component: Orders, beforeEnter: authGuard }
    { path: '/orders', component: Orders, meta: { requiresAuth: true } },
  ],
})
// One guard for every route, not a beforeEnter: it reads meta.requiresAuth.
router.beforeEach(createAuthGuard(auth))

// The plugin, then the router (the other order works too: the guard starts the client itself).
createApp(App).use(createAuthPlugin(auth)).use(router).mount('#app')
