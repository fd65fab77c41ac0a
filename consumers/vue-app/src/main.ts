import { createAuthPlugin } from '@tokenkeep/vue'
import { createApp } from 'vue'
import { createWebHistory } from 'vue-router'
import { App, createAppRouter } from './App'
import { createAppAuth } from './auth'

const auth = createAppAuth(location.origin)
const router = createAppRouter(createWebHistory(), auth)
createApp(App).use(createAuthPlugin(auth)).use(router).mount('#app')
