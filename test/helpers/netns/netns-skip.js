// Whether this machine can run the netns harness: root (CAP_NET_ADMIN) and a working `ip netns`. Tests pass
// the reason to node:test's `skip`, which prints it.
import { execFileSync } from 'node:child_process';
let cached;
/** false when the harness can run, otherwise why not. */
export function netnsSkipReason() {
    if (cached !== undefined)
        return cached;
    if (process.getuid?.() !== 0)
        cached = 'the netns harness needs root (CAP_NET_ADMIN for ip netns)';
    else {
        try {
            execFileSync('ip', ['netns', 'list'], { stdio: 'ignore', timeout: 5000 });
            cached = false;
        }
        catch {
            cached = '`ip netns` is unavailable (iproute2 missing or namespaces not permitted)';
        }
    }
    if (cached)
        process.stdout.write(`# netns harness skipped: ${cached}\n`);
    return cached;
}
//# sourceMappingURL=netns-skip.js.map