// `sluice vrrp-check --data-dir D`: keepalived's host check (docs/ha.md, "The check"). Exits 0 while the data
// planes under D serve, 1 with one line on stderr naming what failed. Bounded well under keepalived's 1 s
// timeout, since it runs every second.
import { answerWithin } from '../model/answer-within.ts';
import { checkDataPlane } from '../providers/keepalived/data-plane-check.ts';

/** the whole check's bound: keepalived kills a check that outlives its timeout (1 s) and counts a failure */
const BOUND_MS = 800;

export async function runVrrpCheck(flags: { dataDir?: string }): Promise<void> {
  if (!flags.dataDir) {
    process.stderr.write('sluice vrrp-check needs --data-dir DIR\n');
    process.exit(2);
  }
  const late = `the data-plane check did not finish within ${BOUND_MS} ms`;
  const failure = await answerWithin(checkDataPlane(flags.dataDir), BOUND_MS, late);
  if (failure !== null) process.stderr.write(`${failure}\n`);
  process.exit(failure === null ? 0 : 1);
}
