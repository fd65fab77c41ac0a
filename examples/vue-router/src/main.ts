import { createWebHistory } from 'vue-router'
import { mountApp } from './setup'

mountApp(createWebHistory(import.meta.env.BASE_URL), 'callback')
