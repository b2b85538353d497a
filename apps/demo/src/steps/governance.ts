import { CG_SCOPE } from '@wb/witboost-mock';
import { type DemoContext, expectStatus } from '../context.js';
import { errorMessageOf, exchangeJwt } from '../http.js';
import { decodeClaims } from '../secrets.js';

export const title = 'Computational Governance needs the service:computational-governance scope';

const request = {
  policy: 'require-owner',
  resource: { metadata: { name: 'invoices' }, spec: { owner: 'group:finance' } },
};

function validate(baseUrl: string, jwt: string | undefined): Promise<Response> {
  return fetch(`${baseUrl}/api/computational-governance/validate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
    body: JSON.stringify(request),
  });
}

export async function run({ wb, accessToken, report }: DemoContext): Promise<void> {
  const plain = await exchangeJwt(wb.url, { access_token: accessToken });
  report.request('POST /api/computational-governance/validate  with a JWT without scope');
  const refused = await validate(wb.url, plain.jwt);
  expectStatus('CG with a plain JWT', refused.status, 403);
  report.refused(`403 "${await errorMessageOf(refused)}"`);

  report.request(`POST /api/auth/access-tokens/jwt  { access_token, scope: "${CG_SCOPE}" }`);
  const scoped = await exchangeJwt(wb.url, { access_token: accessToken, scope: CG_SCOPE });
  expectStatus('CG-scoped exchange', scoped.status, 200);
  report.ok(`200, JWT scope "${decodeClaims(scoped.jwt ?? '').scope}"`);

  report.request(`POST /api/computational-governance/validate  policy ${request.policy}`);
  const accepted = await validate(wb.url, scoped.jwt);
  expectStatus('CG with the scope', accepted.status, 200);
  const verdict = (await accepted.json()) as { satisfiesPolicy: boolean; errors: string[] };
  report.ok(
    `200 satisfiesPolicy: ${verdict.satisfiesPolicy}${verdict.errors.length ? `, errors: ${verdict.errors.join('; ')}` : ''}`,
  );
}
