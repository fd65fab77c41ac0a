import { createApp } from 'vue'
import { createRouter, createWebHistory } from 'vue-router'
import { auth } from '../support/auth'
import App from '../support/App.vue'
const router = createRouter({ history: createWebHistory(), routes: [] })
// ---cut---
import { createAuthPlugin, useAuth } from '@tokenkeep/vue'
import { createAuthGuard } from '@tokenkeep/vue/router'

router.beforeEach(createAuthGuard(auth))                   // routes with meta.requiresAuth sign in first
createApp(App).use(createAuthPlugin(auth)).use(router).mount('#app')
// in setup(): const { user, isAuthenticated, login, logout, getAccessToken } = useAuth()
