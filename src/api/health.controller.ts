import { Controller, Get, Header, Inject, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { KUBERNETES_VERSION } from '../config/config';
import { Cluster } from '../cluster';

const CHECKS = ['ping', 'log', 'etcd', 'poststarthook/start-apiserver-admission-initializer', 'poststarthook/generic-apiserver-start-informers'];

/** /healthz, /livez, /readyz and /version, worded like the real endpoints. */
@Controller()
export class HealthController {
  constructor(@Inject(Cluster) private readonly cluster: Cluster) {}

  @Get(['healthz', 'livez', 'readyz'])
  health(@Query('verbose') verbose: string | undefined, @Res() reply: FastifyReply): void {
    const endpoint = reply.request.url.split('?')[0].replace(/^\//, '');
    void reply.header('Content-Type', 'text/plain; charset=utf-8').header('X-Content-Type-Options', 'nosniff');
    if (verbose === undefined) return void reply.send('ok');
    const checks = endpoint === 'readyz' ? [...CHECKS, 'informer-sync'] : CHECKS;
    void reply.send(`${checks.map((c) => `[+]${c} ok`).join('\n')}\n${endpoint} check passed\n`);
  }

  @Get(['healthz/*', 'livez/*', 'readyz/*'])
  @Header('Content-Type', 'text/plain; charset=utf-8')
  single(): string {
    return 'ok';
  }

  @Get('version')
  version(): Record<string, string> {
    return {
      major: KUBERNETES_VERSION.major,
      minor: KUBERNETES_VERSION.minor,
      gitVersion: KUBERNETES_VERSION.gitVersion,
      gitCommit: '0000000000000000000000000000000000000000',
      gitTreeState: 'clean',
      buildDate: '2026-01-01T00:00:00Z',
      goVersion: `node${process.versions.node}`,
      compiler: 'kubemu',
      platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
    };
  }
}
