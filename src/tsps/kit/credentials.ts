// How adapters show stored credentials back to a partner (GET /connections): enough to recognise
// which key is in use, never enough to use it.
export type CredentialDisplay =
  /** The last 4 characters, and none of a value too short for that to be safe. */
  | 'tail'
  /** Never shown. */
  | 'hidden'
  /** Not a secret (it identifies the connection, e.g. a Geotab database name). */
  | 'shown';

const maskTail = (value: string): string => (value.length >= 12 ? `****${value.slice(-4)}` : '****');

/** The credentials named in `display`, each shown as it says; absent ones stay absent. */
export function maskCredentialFields(
  credentials: Record<string, string>,
  display: Readonly<Record<string, CredentialDisplay>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, how] of Object.entries(display)) {
    const value = credentials[name];
    if (typeof value !== 'string') continue;
    out[name] = how === 'shown' ? value : how === 'hidden' ? '****' : maskTail(value);
  }
  return out;
}
