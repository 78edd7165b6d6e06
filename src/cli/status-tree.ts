// `sluice status LB`: the load balancer's status tree (GET /v2/lbaas/loadbalancers/{id}/status) drawn as a
// tree, each node with its provisioning and operating status, coloured only when asked (a TTY or --color).
type Node = {
  id: string;
  name?: string;
  type?: string;
  address?: string;
  protocol_port?: number;
  provisioning_status: string;
  operating_status: string;
};
type MemberNode = Node;
type PoolNode = Node & { members?: MemberNode[]; health_monitor?: Node };
type ListenerNode = Node & { pools?: PoolNode[] };
export type StatusTree = { loadbalancer: Node & { listeners?: ListenerNode[] } };

const GREEN = new Set(['ACTIVE', 'ONLINE']);
const RED = new Set(['ERROR', 'OFFLINE', 'DOWN']);

/** ANSI SGR colours (ECMA-48 §8.3.117): green 32, red 31, yellow 33 for everything in between. */
export function colourStatus(status: string, colour: boolean): string {
  if (!colour) return status;
  const code = GREEN.has(status) ? 32 : RED.has(status) ? 31 : 33;
  return `\x1b[${code}m${status}\x1b[0m`;
}

export function renderStatusTree(tree: StatusTree, colour: boolean): string {
  const lines: string[] = [];
  const describe = (what: string, node: Node) => {
    const label = node.name ? `${node.name} (${node.id})` : node.id;
    const extra = node.type ? ` ${node.type}` : node.address ? ` ${node.address}:${node.protocol_port}` : '';
    return `${what} ${label}${extra}  ${colourStatus(node.provisioning_status, colour)} / ${colourStatus(node.operating_status, colour)}`;
  };
  const walk = (prefix: string, children: [string, Node, (p: string) => void][]) => {
    children.forEach(([what, node, below], index) => {
      const last = index === children.length - 1;
      lines.push(`${prefix}${last ? '└── ' : '├── '}${describe(what, node)}`);
      below(prefix + (last ? '    ' : '│   '));
    });
  };
  const lb = tree.loadbalancer;
  lines.push(describe('loadbalancer', lb));
  walk(
    '',
    (lb.listeners ?? []).map((listener) => [
      'listener',
      listener,
      (p) =>
        walk(
          p,
          (listener.pools ?? []).map((pool) => [
            'pool',
            pool,
            (q) =>
              walk(q, [
                ...(pool.health_monitor
                  ? [['healthmonitor', pool.health_monitor, () => {}] as [string, Node, (p: string) => void]]
                  : []),
                ...(pool.members ?? []).map(
                  (member) => ['member', member, () => {}] as [string, Node, (p: string) => void],
                ),
              ]),
          ]),
        ),
    ]),
  );
  return lines.join('\n') + '\n';
}
