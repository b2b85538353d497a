import { expect, test } from 'vitest';
import { placeholder } from '@wb/witboost-mock';

test('placeholder', () => {
  expect(placeholder).toBe(1);
});
