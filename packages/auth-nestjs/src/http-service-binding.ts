import { type ModuleRef, ModulesContainer } from '@nestjs/core';
import type { WitboostAuth } from '@wb/auth-core';
import type { AxiosInstance } from 'axios';
import { invalidModuleOptions } from './module-options.js';
import { importOptional } from './optional-axios.js';

const MISSING_HTTP_MODULE =
  '[@wb/auth-nestjs] httpService: true needs HttpModule from @nestjs/axios imported in the application';

/** What to bind: `httpService: true` is `{ allowGlobalAxios: false }`. */
export interface HttpServiceBinding {
  readonly allowGlobalAxios: boolean;
}

/**
 * axios's default export (what plain `HttpModule` hands to `HttpService`) is the one instance every
 * `axios.get(…)` in the process shares; `axios.create()` instances lack its static members. Checked
 * by shape, not identity, because `@nestjs/axios` may load another copy of axios than ours.
 */
export function isGlobalAxios(instance: AxiosInstance): boolean {
  return Object.hasOwn(instance, 'Axios') && Object.hasOwn(instance, 'VERSION');
}

/** Every `HttpService` instance of the application: one per `HttpModule`/`register()` module. */
function findHttpServices(moduleRef: ModuleRef, httpServiceClass: unknown): AxiosInstance[] {
  const modules = moduleRef.get(ModulesContainer, { strict: false });
  const instances = new Set<AxiosInstance>();
  for (const module of modules.values()) {
    for (const [token, wrapper] of module.providers) {
      if (token !== httpServiceClass && wrapper.metatype !== httpServiceClass) continue;
      const axiosRef = (wrapper.instance as { axiosRef?: AxiosInstance } | null)?.axiosRef;
      if (axiosRef !== undefined) instances.add(axiosRef);
    }
  }
  return [...instances];
}

/**
 * Attaches the Witboost interceptors to the `axiosRef` of every `HttpService` in the application
 * (each `HttpModule.register()` has its own). `@nestjs/axios`, axios and `@wb/auth-axios` are
 * optional peers, imported only when the user opted in. Refuses axios's global default instance (plain
 * `HttpModule`) unless `allowGlobalAxios`: every axios call in the process would carry the JWT.
 */
export async function bindHttpService(
  moduleRef: ModuleRef,
  auth: WitboostAuth,
  binding: HttpServiceBinding,
): Promise<() => void> {
  const [nestAxios, adapter] = await Promise.all([
    importOptional(() => import('@nestjs/axios')),
    importOptional(() => import('@wb/auth-axios')),
  ]);
  if (nestAxios === undefined || adapter === undefined) {
    throw new Error(`${MISSING_HTTP_MODULE} (install @nestjs/axios, axios and @wb/auth-axios)`);
  }
  const httpServiceClass: unknown = nestAxios.HttpService;
  const instances = findHttpServices(moduleRef, httpServiceClass);
  if (instances.length === 0) throw new Error(MISSING_HTTP_MODULE);
  if (!binding.allowGlobalAxios && instances.some(isGlobalAxios)) {
    throw invalidModuleOptions(
      "httpService: HttpModule imported without register() uses axios's global default instance, " +
        'which every axios call in the process shares: it would send the JWT for any Witboost URL. ' +
        'Import HttpModule.register({}) instead, or opt in with httpService: { allowGlobalAxios: true }',
    );
  }
  const detachers = instances.map((instance) => adapter.attachWitboostAuth(instance, auth));
  return () => {
    for (const detach of detachers) detach();
  };
}
