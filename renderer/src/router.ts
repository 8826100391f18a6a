import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import LoginView from './features/session/LoginView.vue';
import PlaceholderView from './features/shell/PlaceholderView.vue';
import RegistryView from './features/registry/RegistryView.vue';
import SyncView from './features/sync/SyncView.vue';

/** The main areas (DESIGN §2). Hash history: the same URLs work under app:// and in web mode. */
export const AREAS = [
  'map',
  'registry',
  'visits',
  'needs',
  'cases',
  'reports',
  'sync',
  'settings',
] as const;
export type Area = (typeof AREAS)[number];

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/registry' },
  { path: '/registry', name: 'registry', component: RegistryView },
  { path: '/sync', name: 'sync', component: SyncView },
  // Not an area: reached from the nav's sign-in link with `?redirect=` back to where the user was.
  { path: '/login', name: 'login', component: LoginView },
  ...AREAS.filter((area) => area !== 'registry' && area !== 'sync').map((area) => ({
    path: `/${area}`,
    name: area,
    component: PlaceholderView,
    props: { area },
  })),
  { path: '/:pathMatch(.*)*', redirect: '/registry' },
];

export const router = createRouter({ history: createWebHashHistory(), routes });
