// Which certificate a TLS client's SNI name gets, as HAProxy's crt-list picks it: an exact name first,
// then a wildcard `*.example.com` that stands for exactly one label; among equal matches the first
// listed (the default certificate comes first). No match: the default certificate.
// https://docs.haproxy.org/2.6/configuration.html#5.1-crt-list

/** The index of the entry whose names serve `servername`, or -1. Names compare case-insensitively. */
export function sniSelect(entries: readonly (readonly string[])[], servername: string): number {
  const name = servername.toLowerCase().replace(/\.$/, '');
  const exact = entries.findIndex((names) => names.some((n) => n.toLowerCase() === name));
  if (exact >= 0) return exact;
  const dot = name.indexOf('.');
  if (dot <= 0) return -1;
  const wildcard = `*${name.slice(dot)}`;
  return entries.findIndex((names) => names.some((n) => n.toLowerCase() === wildcard));
}
