import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import LoginView from './features/session/LoginView.vue';
import PlaceholderView from './features/shell/PlaceholderView.vue';
import RegistryView from './features/registry/RegistryView.vue';
import SettingsView from './features/settings/SettingsView.vue';
import SyncView from './features/sync/SyncView.vue';
import CasesView from './features/cases/CasesView.vue';
import ReportsView from './features/reports/ReportsView.vue';
import RulesView from './features/rules/RulesView.vue';
import VisitsView from './features/visits/VisitsView.vue';

/** The main areas (DESIGN §2). Hash history: the same URLs work under app:// and in web mode. */
export const AREAS = [
  'map',
  'registry',
  'visits',
  'needs',
  'cases',
  'rules',
  'reports',
  'sync',
  'settings',
] as const;
export type Area = (typeof AREAS)[number];

/** Areas with their own screen; the others show a placeholder until they are built. */
const BUILT: ReadonlySet<Area> = new Set([
  'map',
  'registry',
  'sync',
  'visits',
  'settings',
  'cases',
  'rules',
  'reports',
]);

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/registry' },
  // Lazy: MapLibre and the map's font are large and only this screen needs them.
  { path: '/map', name: 'map', component: () => import('./features/map/MapView.vue') },
  { path: '/registry', name: 'registry', component: RegistryView },
  { path: '/sync', name: 'sync', component: SyncView },
  { path: '/visits', name: 'visits', component: VisitsView },
  { path: '/settings', name: 'settings', component: SettingsView },
  // `/cases/:id` opens a case beside the list, so a reload or a drill-down link lands on it.
  { path: '/cases/:id?', name: 'cases', component: CasesView },
  { path: '/reports', name: 'reports', component: ReportsView },
  // 权责清单 and 负面清单: the tables dispatch proposes units from.
  { path: '/rules', name: 'rules', component: RulesView },
  // Not an area: reached from the nav's sign-in link with `?redirect=` back to where the user was.
  { path: '/login', name: 'login', component: LoginView },
  ...AREAS.filter((area) => !BUILT.has(area)).map((area) => ({
    path: `/${area}`,
    name: area,
    component: PlaceholderView,
    props: { area },
  })),
  { path: '/:pathMatch(.*)*', redirect: '/registry' },
];

export const router = createRouter({ history: createWebHashHistory(), routes });
