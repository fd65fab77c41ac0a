import { createApp } from 'vue'
import { createRouter, createWebHistory } from 'vue-router'
import App from '../support/App.vue'
import Home from '../support/Home.vue'
import Orders from '../support/Orders.vue'
// ---cut---
import { createAuthClient } from '@tokenkeep/core'
import { createAuthPlugin } from '@tokenkeep/vue'
import { createAuthGuard } from '@tokenkeep/vue/router'

const auth = createAuthClient({ issuer: 'https://id.example.com', clientId: 'my-spa', redirectUri: `${location.origin}/callback` })
const router = createRouter({ history: createWebHistory(), routes: [
  { path: '/', component: Home }, { path: '/callback', component: Home },
  { path: '/orders', component: Orders, meta: { requiresAuth: true } },
] })
router.beforeEach(createAuthGuard(auth))
createApp(App).use(createAuthPlugin(auth)).use(router).mount('#app')
