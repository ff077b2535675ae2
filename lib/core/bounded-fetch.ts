// Outbound GETs to third parties (a provider's keys, a breached-password range server) that a
// request waits on: one deadline for the whole exchange, body included, and a cap on what is read,
// so a slow or hostile server can neither hang the request nor fill the memory.

/** Why an outbound GET failed; `kind` lets callers word their own error without parsing text. */
export class OutboundFetchError extends Error {
  constructor(
    readonly kind: 'timeout' | 'status' | 'too_large' | 'network',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OutboundFetchError';
  }
}

export interface BoundedFetchOptions {
  /** The fetch to use (tests inject one). @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Deadline for the whole exchange, headers and body, in milliseconds. */
  timeoutMs: number;
  /** Largest body read, in bytes; more fails with `too_large`. */
  maxBytes: number;
  headers?: Record<string, string>;
}

/**
 * GETs `url` and returns its body as text, or throws an {@link OutboundFetchError}. Redirects are
 * refused: the servers we call answer directly, and following one would let a compromised answer
 * point us elsewhere. The deadline also races the call itself, so a fetch that ignores its
 * abort signal still cannot hang the caller.
 */
export async function fetchTextBounded(url: string, options: BoundedFetchOptions): Promise<string> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new OutboundFetchError('timeout', `no complete answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
  });
  const exchange = async (): Promise<string> => {
    let response: Response;
    try {
      response = await fetchImpl(url, { headers: options.headers, redirect: 'error', signal: controller.signal });
    } catch (error) {
      throw new OutboundFetchError('network', 'request failed', { cause: error });
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new OutboundFetchError('status', `answered HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length'));
    if (declared > options.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new OutboundFetchError('too_large', `body of ${declared} bytes exceeds ${options.maxBytes}`);
    }
    if (!response.body) return '';
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > options.maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new OutboundFetchError('too_large', `body exceeds ${options.maxBytes} bytes`);
        }
        chunks.push(value);
      }
    } catch (error) {
      if (error instanceof OutboundFetchError) throw error;
      throw new OutboundFetchError('network', 'reading the answer failed', { cause: error });
    }
    return Buffer.concat(chunks).toString('utf8');
  };
  try {
    return await Promise.race([exchange(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
