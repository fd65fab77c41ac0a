import App from '../support/App.vue'
import Home from '../support/Home.vue'
import Orders from '../support/Orders.vue'
// ---cut---
import { createAuthPlugin } from '@tokenkeep/vue'
import { createAuthGuard } from '@tokenkeep/vue/router'
import { createApp } from 'vue'
import { createRouter, createWebHistory } from 'vue-router'
import SignInFailed from './SignInFailed.vue'
import { auth } from './auth'

const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', component: Home },
    { path: '/callback', component: Home }, // the redirect URI; the guard moves on from it
    { path: '/signin-failed', component: SignInFailed },
    { path: '/orders', component: Orders, meta: { requiresAuth: true } },
  ],
})

// Every navigation waits for start(); protected routes sign in first and come back.
router.beforeEach(createAuthGuard(auth, { fallback: '/signin-failed' }))

createApp(App).use(createAuthPlugin(auth)).use(router).mount('#app')
