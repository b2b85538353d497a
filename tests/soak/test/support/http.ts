import type { Target } from './soak.js';

/** The app routes every soaked server exposes: each calls Witboost through the adapter. */
export const APP_PATHS: Record<Target, string> = {
  catalog: '/data-products',
  validate: '/policies/validate',
};

/** One soak request to an app: GET, the app does the Witboost call. */
export async function callApp(
  baseUrl: string,
  target: Target,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(baseUrl + APP_PATHS[target]);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the failure message.
  }
  return { status: response.status, body };
}
