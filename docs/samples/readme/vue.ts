import { createApp } from 'vue'
import { createRouter, createWebHistory } from 'vue-router'
import { auth } from '../support/auth'
import App from '../support/App.vue'
import Callback from '../support/Callback.vue'
import Home from '../support/Home.vue'
import Orders from '../support/Orders.vue'
// ---cut---
import { createAuthPlugin, useAuth } from '@tokenkeep/vue'
import { createAuthGuard } from '@tokenkeep/vue/router'

const router = createRouter({ history: createWebHistory(import.meta.env.BASE_URL), routes: [
  { path: '/', component: Home },
  { path: '/callback', component: Callback },                 // the redirect URI
  { path: '/orders/:id?', component: Orders, meta: { requiresAuth: true } },
] })
router.beforeEach(createAuthGuard(auth))                   // routes with meta.requiresAuth sign in first
createApp(App).use(createAuthPlugin(auth)).use(router).mount('#app')
// in setup(): const { status, user, isAuthenticated, login, logout, getAccessToken } = useAuth()
