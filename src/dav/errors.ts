// Transport failures described in one line, with a class the exit code and reports can use.

export type TransportErrorKind = 'refused' | 'dns' | 'tls' | 'timeout' | 'reset' | 'too-large' | 'aborted' | 'other';

export interface TransportError {
  kind: TransportErrorKind;
  message: string;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL|EPROTO/;

export function classifyError(error: unknown, timeoutMs: number): TransportError {
  const chain: { code?: string; message?: string; name?: string }[] = [];
  let e: unknown = error;
  for (let i = 0; e && i < 5; i++) {
    chain.push(e as { code?: string; message?: string });
    e = (e as { cause?: unknown }).cause;
  }
  const codes = chain.map((c) => c.code ?? '').join(' ');
  const message = chain.map((c) => c.message ?? '').find(Boolean) ?? String(error);
  if (chain.some((c) => c.name === 'TimeoutError') || /UND_ERR_(HEADERS|BODY|CONNECT)_TIMEOUT/.test(codes)) {
    return { kind: 'timeout', message: `timed out after ${timeoutMs} ms` };
  }
  if (chain.some((c) => c.name === 'AbortError')) return { kind: 'aborted', message: 'aborted (run interrupted)' };
  if (/ECONNREFUSED/.test(codes)) return { kind: 'refused', message: 'connection refused' };
  if (/ENOTFOUND|EAI_AGAIN/.test(codes)) return { kind: 'dns', message: `DNS lookup failed (${message})` };
  if (TLS_CODES.test(codes)) {
    const code = codes.split(' ').find((c) => TLS_CODES.test(c));
    return {
      kind: 'tls',
      message: `TLS verification failed (${code}); pass --ca FILE for a private CA, or --insecure`,
    };
  }
  if (/ECONNRESET|UND_ERR_SOCKET|EPIPE/.test(codes))
    return { kind: 'reset', message: `connection reset by server (${message})` };
  return { kind: 'other', message: message.split('\n')[0]! };
}
