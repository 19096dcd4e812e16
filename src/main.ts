#!/usr/bin/env node
import { ConfigError, loadConfig } from './config/config';
import { kubeconfigFor } from './config/kubeconfig';
import { startServer } from './server';

const USAGE = `usage: kubemu serve [--port 8080] [--host 127.0.0.1] [--data-dir .kubemu|:memory:] [--time-scale 1] [--log-level error]
                    [--nodes 3] [--sqlite-synchronous FULL|NORMAL]
                    [--service-cluster-ip-range 10.96.0.0/12] [--service-node-port-range 30000-32767]
       kubemu kubeconfig [--port 8080] [--host 127.0.0.1]`;

async function main(argv: string[]): Promise<void> {
  const [command = 'serve', ...rest] = argv;
  if (command === 'kubeconfig') {
    const config = loadConfig(rest);
    process.stdout.write(kubeconfigFor(`http://${config.host}:${config.port}`));
    return;
  }
  if (command !== 'serve') {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const config = loadConfig(rest);
  const started = Date.now();
  const server = await startServer(config);
  console.log(`kubemu serving ${server.url} (data: ${config.dataDir}) ready in ${Date.now() - started} ms`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(`kubemu: ${err.message}\n${USAGE}`);
  else console.error(err);
  process.exit(2);
});
