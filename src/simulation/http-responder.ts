/**
 * What a simulated container answers to an HTTP request: the page its well-known image serves
 * (nginx's welcome page, httpd's "It works!", the HPA example's "OK!"), or a short plain-text
 * reply naming the pod that served it, so a user can see requests spread over the endpoints.
 */
import type { Container, Pod } from '../kinds/core/pod/pod.types';
import { imageName } from './images';

export interface SimulatedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>
</body>
</html>
`;

export function simulatedHttpResponse(pod: Pod, container: Container | undefined, method: string, path: string): SimulatedResponse {
  const html = { 'Content-Type': 'text/html' };
  switch (imageName(container?.image)) {
    case 'nginx':
      if (path !== '/' && path !== '/index.html') return { status: 404, headers: { ...html, Server: 'nginx' }, body: '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n' };
      return { status: 200, headers: { ...html, Server: 'nginx' }, body: method === 'HEAD' ? '' : NGINX_WELCOME };
    case 'httpd':
      return { status: 200, headers: { ...html, Server: 'Apache' }, body: '<html><body><h1>It works!</h1></body></html>\n' };
    case 'hpa-example':
      return { status: 200, headers: html, body: 'OK!' };
    default:
      return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: `Hello from ${pod.metadata.name} (${pod.status?.podIP ?? 'no address'})\n` };
  }
}
