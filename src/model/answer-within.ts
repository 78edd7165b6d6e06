// A bounded wait shared by the probes (/healthz of the API and the agent, keepalived's vrrp-check): `work`'s
// answer, or `late` once `ms` pass first, with the timer cleared either way so no probe keeps a process alive.

export async function answerWithin<T>(work: Promise<T>, ms: number, late: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<T>((resolve) => {
    timer = setTimeout(resolve, ms, late);
  });
  try {
    return await Promise.race([work, bound]);
  } finally {
    clearTimeout(timer);
  }
}
