// Lets this network namespace's sockets bind addresses it does not hold yet (net.ipv4.ip_nonlocal_bind and
// net.ipv6.ip_nonlocal_bind, https://docs.kernel.org/networking/ip-sysctl.html): a keepalived host serves its
// BACKUP load balancers hot, listeners bound to VIPs that keepalived adds only when it becomes MASTER.
import fs from 'node:fs';

export const NONLOCAL_BIND_SYSCTLS = [
  '/proc/sys/net/ipv4/ip_nonlocal_bind',
  '/proc/sys/net/ipv6/ip_nonlocal_bind',
] as const;

/** Sets both sysctls to 1 in the calling process's network namespace (they are per namespace); needs root. */
export function enableNonlocalBind(files: readonly string[] = NONLOCAL_BIND_SYSCTLS): void {
  for (const file of files) {
    try {
      if (fs.readFileSync(file, 'utf8').trim() !== '1') fs.writeFileSync(file, '1\n');
    } catch (error) {
      throw new Error(`cannot enable non-local binds (${file}): ${(error as Error).message}`);
    }
  }
}
