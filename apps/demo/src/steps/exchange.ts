import { type DemoContext, expectStatus } from '../context.js';
import { exchangeJwt } from '../http.js';
import { clockTime, decodeClaims, showAccessToken, showJwt } from '../secrets.js';

export const title = 'Exchange an access token for a JWT (plain fetch)';

export async function run({ wb, accessToken, report }: DemoContext): Promise<void> {
  report.ok(`access token ${showAccessToken(accessToken)} issued by the emulator`);

  report.request(`POST /api/auth/access-tokens/jwt  { access_token, duration_seconds: 600 }`);
  const asked = await exchangeJwt(wb.url, { access_token: accessToken, duration_seconds: 600 });
  expectStatus('exchange', asked.status, 200);
  const claims = decodeClaims(asked.jwt ?? '');
  report.ok(`200 { jwt: ${showJwt(asked.jwt ?? '')} }`);
  report.info(
    `sub ${claims.sub} · iat ${clockTime(claims.iat)} · exp ${clockTime(claims.exp)} UTC · lifetime ${(claims.exp ?? 0) - (claims.iat ?? 0)} s (exp - iat, decoded, not verified)`,
  );

  report.request('POST /api/auth/access-tokens/jwt  { access_token }  (no duration)');
  const byDefault = await exchangeJwt(wb.url, { access_token: accessToken });
  expectStatus('default exchange', byDefault.status, 200);
  const { iat = 0, exp = 0 } = decodeClaims(byDefault.jwt ?? '');
  report.ok(`200, lifetime ${exp - iat} s: the server default`);
}
