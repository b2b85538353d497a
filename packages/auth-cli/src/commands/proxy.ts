import type { AddressInfo } from 'node:net';
import { createWitboostAuth } from '@wb/auth-core';
import { integerOption, parseCommand, secondsOption } from '../args.js';
import { authOptions, loadConfig } from '../config.js';
import { CliError, EXIT_OK, type ExitCode } from '../exit-codes.js';
import type { ResolvedIo } from '../io.js';
import { isLoopbackName } from '../proxy-guard.js';
import { createProxyServer } from '../proxy-server.js';

/** How long in-flight requests may take to finish after SIGTERM before connections are cut. */
const DRAIN_TIMEOUT_MS = 30_000;
/** Witboost must start answering a forwarded request within this (`--upstream-timeout`), else 504. */
const HEADERS_TIMEOUT_MS = 120_000;

/** `wb-auth proxy`: a local authenticating proxy until `io.signal` (SIGTERM, SIGINT) stops it. */
export async function proxyCommand(argv: readonly string[], io: ResolvedIo): Promise<ExitCode> {
  const { values } = parseCommand(
    'proxy',
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      'allow-remote': { type: 'boolean' },
      'allow-host': { type: 'string', multiple: true },
      duration: { type: 'string' },
      'upstream-timeout': { type: 'string' },
    },
    0,
  );
  const headersTimeoutMs = secondsOption(
    values['upstream-timeout'],
    'upstream-timeout',
    HEADERS_TIMEOUT_MS,
  );
  const port = integerOption(values.port, 'port', 0, 65_535) ?? 0;
  const host = values.host?.trim() || '127.0.0.1';
  if (!isLoopbackName(host) && values['allow-remote'] !== true) {
    throw new CliError(
      `--host ${host} is not a loopback address: anyone who can reach it would act as this account; add --allow-remote if that is what you want`,
    );
  }
  const durationSeconds = integerOption(values.duration, 'duration', 1, 2_000_000);
  const config = await loadConfig(values, io);
  const warn = (message: string) => io.stderr.write(`wb-auth proxy: ${message}\n`);
  const auth = createWitboostAuth(
    authOptions(config, {
      keepWarm: true,
      ...(durationSeconds === undefined ? {} : { durationSeconds }),
      onEvent(event) {
        if (event.type === 'exchange_failed' && event.background) {
          warn(
            `background refresh failed (${event.code}); the current token keeps serving while it is valid`,
          );
        }
      },
    }),
  );
  try {
    // Fail loudly at once rather than serve: a rejected or unreachable Witboost ends here.
    await auth.authorizationFor(`${auth.baseUrl}/`);
    const proxy = createProxyServer({
      auth,
      cgUrl: config.cgUrl,
      allowedHosts: values['allow-host'] ?? [],
      headersTimeoutMs,
      warn,
    });
    const { server } = proxy;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(new CliError(`cannot listen on ${host}:${port} (${error.code ?? error.message})`)),
      );
      server.listen(port, host, resolve);
    });
    const bound = server.address() as AddressInfo;
    proxy.setBound(bound);
    const shown = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
    io.stdout.write(`listening on http://${shown}:${bound.port}\n`);

    await stopped(io.signal);
    proxy.startDraining();
    await drain(server);
    return EXIT_OK;
  } finally {
    await auth.close();
  }
}

function stopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Stop accepting, let in-flight requests finish, close keep-alive connections as they idle. */
function drain(server: import('node:http').Server): Promise<void> {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
    deadline.unref();
    server.close(() => {
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
    // A connection whose response just finished is idle now: close it too.
    server.on('request', (_req, res) => res.on('finish', () => server.closeIdleConnections()));
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    sweep.unref();
    server.once('close', () => clearInterval(sweep));
  });
}
