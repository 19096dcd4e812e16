import request from 'supertest';
import { loadConfig } from '../../src/config/config';
import { startServer, type RunningServer } from '../../src/server';

export interface ApiServer {
  server: RunningServer;
  api: ReturnType<typeof request>;
}

/** A throwaway in-process server (free port, :memory: store) with a supertest client, for one suite. */
export async function startApiServer(extraArgs: string[] = []): Promise<ApiServer> {
  const server = await startServer(loadConfig(['--port', '0', '--data-dir', ':memory:', '--log-level', 'silent', ...extraArgs], {}));
  return { server, api: request(server.url) };
}
