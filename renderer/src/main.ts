import 'element-plus/dist/index.css';
import './styles.css';
import ElementPlus from 'element-plus';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';
import { warmPhotoWorker } from './features/visits/photoPreparer';

createApp(App).use(createPinia()).use(router).use(i18n).use(ElementPlus).mount('#app');

// Photos are prepared in a worker; its script is fetched now, while a web page can still reach
// the server, so visits recorded after the connection drops keep the UI thread free.
setTimeout(() => warmPhotoWorker(), 2_000);
