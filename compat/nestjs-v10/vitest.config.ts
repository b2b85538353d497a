import swc from 'unplugin-swc';
import { nestCompatConfig } from '../nest-compat.vitest.ts';

export default nestCompatConfig(10, import.meta.url, swc);
