import { createAuthPlugin } from '@tokenkeep/vue'
import { createAuthGuard } from '@tokenkeep/vue/router'
import { createApp } from 'vue'
import { createRouter, createWebHashHistory } from 'vue-router'
import { createDemoClient } from '../shared/demoClient'
import AccountPage from './AccountPage.vue'
import App from './App.vue'
import HomePage from './HomePage.vue'

const auth = createDemoClient('/vue.html')

// Hash history: the page is /vue.html whatever the route, which is also the redirect URI.
const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', component: HomePage },
    { path: '/account', component: AccountPage, meta: { requiresAuth: true } },
  ],
})
router.beforeEach(createAuthGuard(auth))

createApp(App).use(createAuthPlugin(auth)).use(router).mount('#app')
