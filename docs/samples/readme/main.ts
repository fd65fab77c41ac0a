// src/main.ts, the whole app (Vite's vue-ts template; npm i vue-router @tokenkeep/core @tokenkeep/vue)
import { createAuthClient } from '@tokenkeep/core'
import { createAuthPlugin, useAuth } from '@tokenkeep/vue'
import { createAuthGuard } from '@tokenkeep/vue/router'
import { createApp, defineComponent, h, onMounted, ref } from 'vue'
import { createRouter, createWebHistory, RouterLink, RouterView } from 'vue-router'

const auth = createAuthClient({
  issuer: 'https://sso.example.com/realms/shop', // your provider's issuer
  clientId: 'shop-spa',
  redirectUri: `${location.origin}/callback`,
  postLogoutRedirectUri: `${location.origin}/`,
})

const Header = defineComponent(() => {
  const { status, user, login, logout } = useAuth() // computed refs over the client's snapshot
  return () => {
    if (status.value === 'loading' || status.value === 'signingOut') return h('p', '…')
    if (!user.value) return h('button', { onClick: () => login() }, 'Log in')
    return h('p', [`${String(user.value.name ?? user.value.sub)} `, h('button', { onClick: () => logout() }, 'Log out')])
  }
})

const Orders = defineComponent(() => {
  const { getAccessToken } = useAuth()
  const orders = ref('')
  onMounted(async () => { // getAccessToken(): a fresh token, renewed before it expires
    orders.value = await (await fetch('/api/orders', { headers: { Authorization: `Bearer ${await getAccessToken()}` } })).text()
  })
  return () => h('pre', orders.value)
})

const router = createRouter({ history: createWebHistory(), routes: [
  { path: '/', component: { render: () => h('p', 'Welcome') } },
  { path: '/callback', component: { render: () => h('p', 'Signing you in…') } },
  { path: '/orders', component: Orders, meta: { requiresAuth: true } }, // the guard signs in first
] })
router.beforeEach(createAuthGuard(auth))

createApp(() => [h(Header), h('nav', [h(RouterLink, { to: '/' }, () => 'Home'), ' ', h(RouterLink, { to: '/orders' }, () => 'Orders')]), h(RouterView)])
  .use(createAuthPlugin(auth)).use(router).mount('#app')
