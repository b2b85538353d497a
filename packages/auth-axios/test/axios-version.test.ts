import axios from 'axios';
import axiosCopy from 'axios-copy';
import { expect, test } from 'vitest';

// The matrix (compat/axios-v1.12) runs these same files on the floor of the peer range.
test('runs on the axios release the matrix job asks for, and the copy is another release', () => {
  const expected = process.env.WB_EXPECTED_AXIOS_VERSION ?? '1.21.1';
  expect(axios.VERSION).toBe(expected);
  expect(axiosCopy.VERSION).not.toBe(expected);
});
