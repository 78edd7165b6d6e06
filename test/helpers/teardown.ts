// Runs a test's clean-up steps in order, every one of them even when an earlier one fails, then reports the
// failures together: a step skipped because another threw can leave a child process running, and a child left
// running keeps the test file's process (and so the whole CI run) from ending.
export async function teardown(...steps: readonly (() => unknown)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} clean-up steps failed`);
}
