// Owns one fix to the test runner: every test file's process writes its report to the runner through a
// blocking pipe, so that `--test-force-exit` cannot drop the report's tail.
//
// Why: with process isolation each test file runs in a child that streams its results to the parent over its
// stdout, a pipe. Node writes to a pipe asynchronously, and on force exit the child calls process.exit() while
// frames may still be queued, so the parent never sees the last results of that file: it counts them neither
// as passed nor as failed and the run still ends green (https://github.com/nodejs/node/issues/64833, open for
// Node 24 and 26). CI lost the last 36 tests of one file this way. A blocking handle makes each write finish
// before the next statement, as Node itself does for stdio before it exits
// (https://nodejs.org/api/process.html#a-note-on-process-io).
//
// Loaded with `--import` by test/runner/run-tests.sh; node --test passes that flag on to every file's process.
interface BlockableHandle {
  setBlocking?: (blocking: boolean) => number;
}

const handle = (process.stdout as unknown as { _handle?: BlockableHandle })._handle;
handle?.setBlocking?.(true);
