/** A Backstage-style catalog entity, as Witboost's catalog returns them. */
export interface CatalogEntity {
  apiVersion: string;
  kind: 'Component' | 'System' | 'DataProduct' | 'Domain';
  metadata: { name: string; namespace: string; title: string; description: string };
  spec: Record<string, string>;
}

function entity(
  kind: CatalogEntity['kind'],
  name: string,
  title: string,
  description: string,
  spec: Record<string, string>,
): CatalogEntity {
  return {
    apiVersion: 'witboost.com/v1',
    kind,
    metadata: { name, namespace: 'default', title, description },
    spec,
  };
}

/** The emulator's fixed catalog: small, realistic, deterministic. */
export const CATALOG: readonly CatalogEntity[] = [
  entity('Domain', 'finance', 'Finance', 'Money in, money out.', { owner: 'group:finance' }),
  entity('Domain', 'marketing', 'Marketing', 'Campaigns and customers.', {
    owner: 'group:marketing',
  }),
  entity('DataProduct', 'invoices', 'Invoices', 'Issued invoices, daily snapshot.', {
    domain: 'finance',
    owner: 'group:finance',
    lifecycle: 'production',
    version: '1.2.0',
  }),
  entity('DataProduct', 'campaign-performance', 'Campaign Performance', 'Spend and reach.', {
    domain: 'marketing',
    owner: 'group:marketing',
    lifecycle: 'experimental',
    version: '0.3.1',
  }),
  entity('System', 'billing', 'Billing', 'Invoicing and payments.', {
    domain: 'finance',
    owner: 'group:finance',
  }),
  entity('Component', 'invoices-output-port', 'Invoices output port', 'SQL view of invoices.', {
    type: 'outputport',
    system: 'billing',
    domain: 'finance',
    owner: 'group:finance',
    lifecycle: 'production',
  }),
  entity('Component', 'campaign-ingestion', 'Campaign ingestion', 'Nightly ad-platform load.', {
    type: 'workload',
    system: 'billing',
    domain: 'marketing',
    owner: 'group:marketing',
    lifecycle: 'experimental',
  }),
];
