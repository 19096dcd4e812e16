import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
import { serveExecStreams } from './api/exec-stream';
import { MAX_REQUEST_BODY_BYTES } from './api/status-error.filter';
import { Cluster } from './cluster';
import type { KubemuConfig } from './config/config';
import type { Clock } from './simulation/clock';

export interface RunningServer {
  app: NestFastifyApplication;
  cluster: Cluster;
  url: string;
  close(): Promise<void>;
}

/** Assemble the cluster and serve it over HTTP. Port 0 picks a free port (tests). */
export async function startServer(config: KubemuConfig, clock?: Clock): Promise<RunningServer> {
  const cluster = await Cluster.open(config, clock);
  const adapter = new FastifyAdapter({
    bodyLimit: MAX_REQUEST_BODY_BYTES,
    forceCloseConnections: true,
    routerOptions: { maxParamLength: 8192 },
    logger: config.logLevel === 'debug',
    // kubemu has no Nest middleware, so @fastify/middie would only add a pass over every request.
    skipMiddie: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forCluster(cluster), adapter, {
    bodyParser: false,
    logger: config.logLevel === 'silent' ? false : config.logLevel === 'debug' ? ['log', 'error', 'warn', 'debug'] : ['error', 'warn'],
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Bodies are decoded by the API machinery itself (JSON, YAML, patches, later protobuf), so every
  // content type arrives as raw bytes, capped at the real server's limit.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_REQUEST_BODY_BYTES }, (_req, body, done) => done(null, body));
  serveExecStreams(app.getHttpServer(), cluster.registry, cluster.clock, cluster.runtime);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    app,
    cluster,
    url: `http://${host}:${address.port}`,
    close: async () => {
      await app.close();
      await cluster.close();
    },
  };
}
