import { type DemoContext, expectStatus } from '../context.js';
import { errorMessageOf, exchangeJwt } from '../http.js';

export const title = 'Call the catalog with Authorization: Bearer <jwt>';

interface Entity {
  kind: string;
  metadata: { name: string };
  spec: { domain?: string };
}

export async function run({ wb, accessToken, report }: DemoContext): Promise<void> {
  const { jwt } = await exchangeJwt(wb.url, { access_token: accessToken });
  report.request('GET /api/catalog/entities?kind=DataProduct  with Bearer eyJ…(redacted)');
  const res = await fetch(`${wb.url}/api/catalog/entities?kind=DataProduct`, {
    headers: { authorization: `Bearer ${jwt}` },
  });
  expectStatus('catalog', res.status, 200);
  const entities = (await res.json()) as Entity[];
  report.ok(`200, ${entities.length} data products`);
  for (const entity of entities) {
    report.info(`${entity.kind} ${entity.metadata.name} (domain ${entity.spec.domain ?? '?'})`);
  }

  report.request('GET /api/catalog/entities  without credentials');
  const anonymous = await fetch(`${wb.url}/api/catalog/entities`);
  expectStatus('anonymous catalog', anonymous.status, 401);
  report.refused(
    `401 "${await errorMessageOf(anonymous)}", WWW-Authenticate: ${anonymous.headers.get('www-authenticate')}`,
  );
}
