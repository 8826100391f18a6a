import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import PlaceholderView from './features/shell/PlaceholderView.vue';
import RegistryView from './features/registry/RegistryView.vue';

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
  ...AREAS.filter((area) => area !== 'registry').map((area) => ({
    path: `/${area}`,
    name: area,
    component: PlaceholderView,
    props: { area },
  })),
  { path: '/:pathMatch(.*)*', redirect: '/registry' },
];

export const router = createRouter({ history: createWebHashHistory(), routes });
