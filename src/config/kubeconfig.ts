/** A kubeconfig that points kubectl at a kubemu address (plain HTTP, no credentials). */
export function kubeconfigFor(server: string, namespace = 'default'): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: kubemu
  cluster:
    server: ${server}
contexts:
- name: kubemu
  context:
    cluster: kubemu
    user: kubemu
    namespace: ${namespace}
current-context: kubemu
users:
- name: kubemu
  user: {}
`;
}
