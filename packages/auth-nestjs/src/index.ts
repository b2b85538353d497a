export { WITBOOST_AUTH, WITBOOST_AUTH_MODULE_OPTIONS } from './witboost-auth.constants.js';
export { InjectWitboostAuth, InjectWitboostAuthOptions } from './witboost-auth.decorators.js';
export { WitboostAuthModule } from './witboost-auth.module.js';
export {
  ConfigurableWitboostAuthModule,
  type WitboostAuthModuleAsyncOptions,
  type WitboostAuthModuleExtras,
  type WitboostAuthModuleForRootOptions,
  type WitboostAuthModuleOptions,
  type WitboostAuthOptionsFactory,
} from './witboost-auth.module-definition.js';
export { WitboostAuthService, type WitboostAuthServiceSummary } from './witboost-auth.service.js';
export {
  toWitboostHttpException,
  WitboostAuthExceptionFilter,
} from './witboost-auth-exception.filter.js';
export {
  WitboostHealthIndicator,
  type WitboostHealthResult,
} from './witboost-health.indicator.js';
