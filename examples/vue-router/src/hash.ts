import { createWebHashHistory } from 'vue-router'
import { mountApp } from './setup'

// Hash history: the page is hash.html whatever the route, and it is also the redirect URI.
mountApp(createWebHashHistory(import.meta.env.BASE_URL + 'hash.html'), 'hash.html')
