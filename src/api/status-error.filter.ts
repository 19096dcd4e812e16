import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { StatusError } from '../machinery/errors/status-error';
import { StrategicMergePatchPanic } from '../machinery/patch/strategic-merge-patch';
import { encodeProtobufObject, PROTOBUF_MEDIA_TYPE } from '../machinery/protobuf';
import { prefersProtobuf } from './negotiation';

/** The real server's request body limit. */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/**
 * Whatever goes wrong, the client gets a Kubernetes Status, never a stack trace. Errors that are
 * not StatusErrors are our bugs: 500 with a generic message, details only in the log.
 */
export function toStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  const code = (err as { code?: string; statusCode?: number })?.code;
  const statusCode = (err as { statusCode?: number })?.statusCode;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || statusCode === 413) return StatusError.tooLarge(MAX_REQUEST_BODY_BYTES);
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || statusCode === 415) return StatusError.unsupportedMediaType();
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status === 404) return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
    if (status === 405) return StatusError.methodNotAllowed();
    if (status === 413) return StatusError.tooLarge(MAX_REQUEST_BODY_BYTES);
    if (status === 415) return StatusError.unsupportedMediaType();
    if (status < 500) return new StatusError(status, 'BadRequest', err.message);
  }
  if (statusCode && statusCode >= 400 && statusCode < 500) return StatusError.badRequest((err as Error).message);
  console.error(err);
  return StatusError.internal('an unexpected error occurred while handling the request');
}

export function sendStatus(reply: FastifyReply, err: unknown): void {
  if (err instanceof StrategicMergePatchPanic && !reply.sent) {
    // The real server recovers from this patch's panic with a plain-text 500, not a Status.
    void reply.code(500).header('Content-Type', 'text/plain; charset=utf-8').send(Buffer.from('This request caused apiserver to panic. Look in the logs for details.'));
    return;
  }
  const status = toStatusError(err);
  if (reply.sent || reply.raw.headersSent) {
    if (!reply.raw.writableEnded) reply.raw.end();
    return;
  }
  for (const [name, value] of Object.entries(status.headers)) void reply.header(name, value);
  // Errors are negotiated like any response: protobuf clients get a protobuf Status.
  if (prefersProtobuf(reply.request?.headers.accept)) {
    void reply.code(status.code).header('Content-Type', PROTOBUF_MEDIA_TYPE).send(encodeProtobufObject({ ...status.toStatus() }));
    return;
  }
  void reply
    .code(status.code)
    .header('Content-Type', 'application/json')
    .send(Buffer.from(JSON.stringify(status.toStatus()) + '\n'));
}

@Catch()
export class StatusErrorFilter implements ExceptionFilter {
  catch(err: unknown, host: ArgumentsHost): void {
    sendStatus(host.switchToHttp().getResponse<FastifyReply>(), err);
  }
}
