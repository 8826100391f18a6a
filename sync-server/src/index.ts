import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';

try {
  const config = loadConfig();
  const app = buildApp({ config });
  const address = await app.listen({ host: config.host, port: config.port });
  console.log(`Gridwork 网格通 web mode: ${address}/`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  if (error instanceof ConfigError) console.error(error.message);
  else if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE')
    console.error(`Port in use: ${error.message}. Set GRIDWORK_PORT to another port.`);
  else console.error(error);
  process.exit(1);
}
