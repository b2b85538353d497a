// The public documentation's own examples (shared/seed/witboost-api-authentication.txt), run as
// written against the emulator: only the instance URL, the token and the sample JWT change.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { claims } from './helpers.js';

const run = promisify(execFile);
const INSTANCE = 'https://your-witboost-instance.com';
const SAMPLE_TOKEN = 'wbat-YOUR-ACCESS-TOKEN';
const SAMPLE_JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...';

const CURL_EXCHANGE_CG = `curl -X POST https://your-witboost-instance.com/api/auth/access-tokens/jwt \\
-H "Content-Type: application/json" \\
-d '{
"access_token": "wbat-YOUR-ACCESS-TOKEN",
"duration_seconds": 3600,
"scope": "service:computational-governance"
}'`;

const CURL_BEARER_CATALOG = `curl https://your-witboost-instance.com/api/catalog/entities \\
-H "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."`;

const CURL_BASIC_CATALOG = `curl -u "witboost:wbat-YOUR-ACCESS-TOKEN" \\
https://your-witboost-instance.com/api/catalog/entities \\
-H "Content-Type: application/json"`;

const CURL_BASIC_CG = `curl -u "witboost:wbat-YOUR-ACCESS-TOKEN" \\
https://your-witboost-instance.com/api/computational-governance/validate \\
-H "Content-Type: application/json" \\
-d '{"policy": "..."}'`;

const PYTHON_BEARER = `import requests
# Get JWT token
token_response = requests.post(
'https://your-witboost-instance.com/api/auth/access-tokens/jwt',
json={
'access_token': 'wbat-YOUR-ACCESS-TOKEN',
'duration_seconds': 3600
}
)
jwt_token = token_response.json()['jwt']
# Use JWT to call API
response = requests.get(
'https://your-witboost-instance.com/api/catalog/entities',
headers={'Authorization': f'Bearer {jwt_token}'}
)
print(response.json())`;

const PYTHON_BASIC = `import requests
# Using auth parameter (recommended)
response = requests.get(
'https://your-witboost-instance.com/api/catalog/entities',
auth=('witboost', 'wbat-YOUR-ACCESS-TOKEN')
)
print(response.json())`;

function hasPythonRequests(): boolean {
  try {
    execFileSync('python3', ['-c', 'import requests'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const pythonReady = hasPythonRequests();

function localise(text: string, wb: WitboostMock, token: string, jwt = SAMPLE_JWT): string {
  return text.replaceAll(INSTANCE, wb.url).replaceAll(SAMPLE_TOKEN, token).replace(SAMPLE_JWT, jwt);
}

async function sh(command: string): Promise<string> {
  const { stdout } = await run('sh', ['-c', command], { timeout: 10_000 });
  return stdout;
}

async function python(script: string): Promise<string> {
  const { stdout } = await run('python3', ['-c', script], { timeout: 10_000 });
  return stdout;
}

describe('seed examples, Bearer (Basic disabled, the default)', () => {
  let wb: WitboostMock;
  beforeAll(async () => {
    wb = await startWitboostMock({ port: 0 });
  });
  afterAll(() => wb.close());

  test('curl: the CG-scoped exchange, then the Bearer catalog call', async () => {
    const exchanged = JSON.parse(await sh(localise(CURL_EXCHANGE_CG, wb, wb.issueAccessToken())));
    const payload = claims(exchanged.jwt);
    expect(payload.scope).toBe('service:computational-governance');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);

    const catalog = JSON.parse(await sh(localise(CURL_BEARER_CATALOG, wb, '', exchanged.jwt)));
    expect(catalog.some((e: { kind: string }) => e.kind === 'DataProduct')).toBe(true);
  });

  test('curl -u Basic is refused while Basic is disabled', async () => {
    const body = await sh(localise(CURL_BASIC_CATALOG, wb, wb.issueAccessToken()));
    expect(JSON.parse(body)).toEqual({
      error: { message: 'Basic authentication is disabled on this installation' },
    });
  });

  test.skipIf(!pythonReady)(
    'python requests: exchange then catalog (skipped without requests)',
    async () => {
      const out = await python(localise(PYTHON_BEARER, wb, wb.issueAccessToken()));
      expect(out).toContain("'kind': 'DataProduct'");
      expect(out).toContain("'name': 'invoices'");
    },
  );
});

describe('seed examples, Basic (enabled as in the values.yaml snippet)', () => {
  let wb: WitboostMock;
  beforeAll(async () => {
    wb = await startWitboostMock({ port: 0, basicAuth: true });
  });
  afterAll(() => wb.close());

  test('curl -u on the catalog', async () => {
    const catalog = JSON.parse(await sh(localise(CURL_BASIC_CATALOG, wb, wb.issueAccessToken())));
    expect(catalog.length).toBeGreaterThan(0);
    expect(wb.lastRequests.at(-1)).toMatchObject({ authScheme: 'Basic', status: 200 });
  });

  test('curl -u on Computational Governance validate', async () => {
    const result = JSON.parse(await sh(localise(CURL_BASIC_CG, wb, wb.issueAccessToken())));
    expect(result).toEqual({ policy: '...', satisfiesPolicy: true, errors: [] });
  });

  test.skipIf(!pythonReady)(
    'python requests auth=(witboost, token) (skipped without requests)',
    async () => {
      const out = await python(localise(PYTHON_BASIC, wb, wb.issueAccessToken()));
      expect(out).toContain("'kind': 'Component'");
    },
  );
});
