import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiHandler } from './api-handler';

/** One route for every kind: the generic machinery, not per-kind handlers, serves /api and /apis. */
@Controller()
export class ResourceController {
  constructor(@Inject(ApiHandler) private readonly api: ApiHandler) {}

  @All(['api', 'api/*', 'apis', 'apis/*'])
  handle(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.api.handle(req, reply);
  }
}
