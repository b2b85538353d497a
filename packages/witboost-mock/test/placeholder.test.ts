import { placeholder } from '@wb/witboost-mock';
import { expect, test } from 'vitest';

test('placeholder', () => {
  expect(placeholder).toBe(1);
});
