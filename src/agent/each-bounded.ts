// Runs an async step for every item with at most `limit` running at once, and resolves when all have settled.
// The reconciler uses it so independent load balancers apply side by side: one slow HAProxy reload no longer
// holds every other load balancer of the host (issue #18).

export async function eachBounded<T>(
  items: readonly T[],
  limit: number,
  step: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++];
      await step(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
