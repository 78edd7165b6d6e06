// Where the `sluice` command lives, for the processes Sluice starts of itself (the local agent, native workers).
import { fileURLToPath } from 'node:url';

export const SLUICE_BIN = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));
