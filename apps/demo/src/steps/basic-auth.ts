import { startWitboostMock } from '@wb/witboost-mock';
import { type DemoContext, expectStatus } from '../context.js';
import { basicHeader, errorMessageOf } from '../http.js';
import { showAccessToken } from '../secrets.js';

export const title = 'Basic authentication: witboost:<access token>, only where enabled';

export async function run({ wb, accessToken, report, defer }: DemoContext): Promise<void> {
  report.request('GET /api/catalog/entities  with Basic, on the default installation');
  const disabled = await fetch(`${wb.url}/api/catalog/entities`, {
    headers: { authorization: basicHeader(accessToken) },
  });
  expectStatus('Basic while disabled', disabled.status, 401);
  report.refused(`401 "${await errorMessageOf(disabled)}"`);

  const enabled = await startWitboostMock({ port: 0, basicAuth: true });
  defer(() => enabled.close());
  const token = enabled.issueAccessToken({ subject: 'service-account:basic-demo' });
  report.ok(
    `second emulator with basicAuth: true at ${enabled.url}, token ${showAccessToken(token)}`,
  );

  report.request('GET /api/catalog/entities  with Basic base64(witboost:wbat-…)');
  const catalog = await fetch(`${enabled.url}/api/catalog/entities`, {
    headers: { authorization: basicHeader(token) },
  });
  expectStatus('Basic catalog', catalog.status, 200);
  report.ok(`200, ${((await catalog.json()) as unknown[]).length} entities, no exchange needed`);

  report.request('POST /api/computational-governance/validate  with Basic (no scope needed)');
  const cg = await fetch(`${enabled.url}/api/computational-governance/validate`, {
    method: 'POST',
    headers: { authorization: basicHeader(token), 'content-type': 'application/json' },
    body: JSON.stringify({ policy: 'require-domain', resource: { spec: {} } }),
  });
  expectStatus('Basic CG', cg.status, 200);
  const verdict = (await cg.json()) as { satisfiesPolicy: boolean; errors: string[] };
  report.ok(`200 satisfiesPolicy: ${verdict.satisfiesPolicy} (${verdict.errors.join('; ')})`);

  report.request('GET /api/catalog/entities  with Basic admin:wbat-…');
  const wrongUser = await fetch(`${enabled.url}/api/catalog/entities`, {
    headers: { authorization: `Basic ${Buffer.from(`admin:${token}`).toString('base64')}` },
  });
  expectStatus('Basic with another username', wrongUser.status, 401);
  report.refused(`401 "${await errorMessageOf(wrongUser)}"`);
}
