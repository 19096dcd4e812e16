import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { locateOpenApiDir } from '../machinery/openapi/openapi-files';
import { OpenApiPublisher, type OpenApiRequestHeaders, type OpenApiResponse } from '../machinery/openapi/openapi-publisher';

/**
 * /openapi/v2 and /openapi/v3[/<group-version>]: the committed documents of openapi/, loaded once at
 * startup and served with kube-openapi's hashing and caching (see OpenApiPublisher). /openapi/v2 is
 * JSON, or gnostic's protobuf (encoded once, at construction) for kubectl 1.27–1.28's Accept.
 */
@Controller()
export class OpenApiController {
  private readonly publisher: OpenApiPublisher;

  constructor() {
    // Walks up from src/api (jest, ts-node) or dist/src/api (nest build) to the repository's openapi/.
    this.publisher = OpenApiPublisher.fromDirectory(locateOpenApiDir(__dirname));
  }

  @Get('openapi/v2')
  v2(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    send(reply, this.publisher.v2(headersOf(req)));
  }

  @Get('openapi/v3')
  v3Index(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    send(reply, this.publisher.v3Index(headersOf(req)));
  }

  @Get('openapi/v3/*')
  v3Document(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const url = new URL(req.url, 'http://localhost');
    const key = decodeURIComponent(url.pathname.slice('/openapi/v3/'.length));
    const hash = url.searchParams.get('hash') ?? undefined;
    send(reply, this.publisher.v3Document(key, hash || undefined, headersOf(req)));
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function headersOf(req: FastifyRequest): OpenApiRequestHeaders {
  return {
    accept: headerValue(req.headers.accept),
    'accept-encoding': headerValue(req.headers['accept-encoding']),
    'if-none-match': headerValue(req.headers['if-none-match']),
    'if-modified-since': headerValue(req.headers['if-modified-since']),
  };
}

function send(reply: FastifyReply, response: OpenApiResponse): void {
  void reply.code(response.status).headers(response.headers);
  // An empty Buffer would still be labelled application/octet-stream; Go sends no type without a body.
  void (response.body.length ? reply.send(response.body) : reply.send());
}
