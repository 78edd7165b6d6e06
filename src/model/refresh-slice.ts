// Spreading a periodic refresh of many objects over passes: each id falls in one of `passes` slices, so a pass
// refreshes about 1/passes of them instead of all of them at once every `passes` passes (a burst that, at 1,000
// load balancers, stalled everything else for that pass; issue #18).

/** True when `id` is in the slice that pass number `pass` refreshes, out of `passes` slices. */
export function inRefreshSlice(id: string, pass: number, passes: number): boolean {
  // 31-multiplier string hash (as Java's String.hashCode): stable across processes and runs.
  let hash = 0;
  for (let i = 0; i < id.length; i += 1) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return hash % passes === pass % passes;
}
