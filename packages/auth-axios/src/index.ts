export { attachWitboostAuth } from './attach.js';
export { createWitboostAxios, type WitboostAxiosOptions } from './create.js';
export { ERR_WITBOOST_AUTH } from './errors.js';
