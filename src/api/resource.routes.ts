import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ApiHandler } from './api-handler';
import { sendStatus } from './status-error.filter';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * One route for every kind: the generic machinery, not per-kind handlers, serves /api and /apis.
 * Registered on the Fastify instance the Nest application owns rather than as a Nest controller:
 * Nest's per-request execution context (param resolution, interceptor and filter chains) cost
 * about a quarter of a GET's server time in the bench, and these routes need none of it.
 */
@Injectable()
export class ResourceRoutes implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(ApiHandler) private readonly api: ApiHandler,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    for (const url of ['/api', '/api/*', '/apis', '/apis/*']) {
      fastify.route({
        method: [...METHODS],
        url,
        handler: async (req, reply) => {
          try {
            await this.api.handle(req, reply);
          } catch (err) {
            sendStatus(reply, err);
          }
        },
      });
    }
  }
}
