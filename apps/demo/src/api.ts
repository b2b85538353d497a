import type { WitboostAuth } from '@wb/auth-core';
import { type DemoContext, DemoFailure } from './context.js';

/** A catalog entity, as much of it as the demo prints. */
export interface Entity {
  kind: string;
  metadata: { name: string };
}

/** A Computational Governance verdict. */
export interface Verdict {
  satisfiesPolicy: boolean;
  errors?: string[];
}

export const CATALOG_PATH = '/api/catalog/entities?kind=DataProduct';
export const CG_VALIDATE_PATH = '/api/computational-governance/validate';

/**
 * One API call through `auth.fetch`, expecting a 2xx JSON answer. A failure counts in the
 * section's tally and ends the section: the message names the status only.
 */
export async function call<T>(
  ctx: DemoContext,
  auth: WitboostAuth,
  path: string,
  body?: unknown,
): Promise<T> {
  const init: RequestInit =
    body === undefined
      ? {}
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        };
  let res: Response;
  try {
    res = await auth.fetch(path, init);
  } catch (error) {
    ctx.tally.failed += 1;
    throw new DemoFailure(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!res.ok) {
    ctx.tally.failed += 1;
    throw new DemoFailure(`${path}: expected a 2xx answer, got HTTP ${res.status}`);
  }
  return (await res.json()) as T;
}

/** The governance request every section sends: does this data product name its owner? */
export const validateOwner = {
  policy: 'require-owner',
  resource: { metadata: { name: 'invoices' }, spec: { owner: 'group:finance' } },
};
