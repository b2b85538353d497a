import type { ModuleRef } from '@nestjs/core';
import { attachWitboostAuth } from '@wb/auth-axios';
import type { WitboostAuth } from '@wb/auth-core';
import type { AxiosInstance } from 'axios';

const MISSING_HTTP_MODULE =
  '[@wb/auth-nestjs] httpService: true needs HttpModule from @nestjs/axios imported in the application';

/**
 * Attaches the Witboost interceptors to the application's `HttpService`. `@nestjs/axios` is an
 * optional peer, so it is imported only when the user opted in, and the service is looked up
 * across all modules because the HttpModule import usually lives in a feature module.
 */
export async function bindHttpService(
  moduleRef: ModuleRef,
  auth: WitboostAuth,
): Promise<() => void> {
  let httpServiceClass: unknown;
  try {
    httpServiceClass = (await import('@nestjs/axios')).HttpService;
  } catch (error) {
    throw new Error(`${MISSING_HTTP_MODULE} (the package could not be loaded)`, { cause: error });
  }
  let httpService: { axiosRef?: AxiosInstance } | undefined;
  try {
    httpService = moduleRef.get(httpServiceClass as new () => { axiosRef: AxiosInstance }, {
      strict: false,
    });
  } catch (error) {
    throw new Error(MISSING_HTTP_MODULE, { cause: error });
  }
  if (httpService?.axiosRef === undefined) throw new Error(MISSING_HTTP_MODULE);
  return attachWitboostAuth(httpService.axiosRef, auth);
}
