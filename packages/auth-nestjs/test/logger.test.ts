import { Logger, type LoggerService } from '@nestjs/common';
import {
  WitboostAuthModule,
  type WitboostAuthModuleOptions,
  WitboostAuthService,
} from '@wb/auth-nestjs';
import { describe, expect, it } from 'vitest';
import { createTestingModule, SECRET_PATTERN, useEmulator } from './support.js';

const env = useEmulator();

/** A Nest LoggerService that records every line, as an application's logger would print it. */
function recordingLogger(): LoggerService & { lines: string[] } {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (message: unknown, ...rest: unknown[]) =>
      lines.push(`${level} ${String(message)} ${rest.map(String).join(' ')}`.trim());
  return {
    lines,
    log: record('log'),
    error: record('error'),
    warn: record('warn'),
    debug: record('debug'),
    verbose: record('verbose'),
  };
}

/** A module whose access token is revoked: the first getToken fails and is logged at error. */
async function failingExchange(
  logger: WitboostAuthModuleOptions['logger'],
  appLogger: LoggerService,
): Promise<void> {
  const accessToken = env.wb.issueAccessToken();
  env.wb.revoke(accessToken);
  const options = logger === undefined ? {} : { logger };
  const moduleRef = await createTestingModule(
    { imports: [WitboostAuthModule.forRoot({ baseUrl: env.wb.url, accessToken, ...options })] },
    appLogger,
  ).compile();
  env.track(moduleRef);
  await expect(moduleRef.get(WitboostAuthService).getToken()).rejects.toMatchObject({
    code: 'access_token_rejected',
  });
}

describe('logger', () => {
  it("uses Nest's logger by default: the application's logger prints the events, info and above", async () => {
    const app = recordingLogger();

    await failingExchange(undefined, app);

    const ours = app.lines.filter((line) => line.includes('witboost:'));
    expect(ours).toEqual([expect.stringMatching(/^error witboost: JWT exchange failed \{.*\}/)]);
    expect(ours.join('\n')).not.toMatch(SECRET_PATTERN);
  });

  it("accepts Nest's own Logger (which has no info method), and any LoggerService", async () => {
    const app = recordingLogger();
    const own = recordingLogger();

    await failingExchange(new Logger('Witboost'), app);
    await failingExchange(own, recordingLogger());

    expect(app.lines.some((line) => line.startsWith('error witboost: JWT exchange failed'))).toBe(
      true,
    );
    expect(own.lines.filter((line) => line.startsWith('error witboost:'))).toHaveLength(1);
    expect([...app.lines, ...own.lines].join('\n')).not.toMatch(SECRET_PATTERN);
  });

  it('false logs nothing; a pino-compatible logger gets (fields, message)', async () => {
    const app = recordingLogger();
    const pinoLines: unknown[][] = [];
    const pinoLike = {
      debug: (...args: unknown[]) => pinoLines.push(['debug', ...args]),
      info: (...args: unknown[]) => pinoLines.push(['info', ...args]),
      warn: (...args: unknown[]) => pinoLines.push(['warn', ...args]),
      error: (...args: unknown[]) => pinoLines.push(['error', ...args]),
    };

    await failingExchange(false, app);
    await failingExchange(pinoLike, recordingLogger());

    expect(app.lines.filter((line) => line.includes('witboost:'))).toEqual([]);
    expect(pinoLines).toContainEqual([
      'error',
      expect.objectContaining({ type: 'exchange_failed' }),
      'witboost: JWT exchange failed',
    ]);
  });

  it('a logger that is neither kind fails the bootstrap with invalid_options', async () => {
    const module = createTestingModule({
      imports: [
        WitboostAuthModule.forRoot({
          baseUrl: env.wb.url,
          accessToken: env.wb.issueAccessToken(),
          logger: { log() {} } as never,
        }),
      ],
    });
    await expect(module.compile()).rejects.toMatchObject({ code: 'invalid_options' });
  });
});
