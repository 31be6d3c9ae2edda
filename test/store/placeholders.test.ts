import { describe, expect, it } from 'vitest';
import { numberPlaceholders } from '../../src/store/connection.js';

describe('numbering ? placeholders for PostgreSQL', () => {
  it('numbers only the placeholders, not question marks in strings, identifiers or comments', () => {
    expect(numberPlaceholders(`SELECT '?', "a?" FROM t -- isn't it?\nWHERE a = ? AND b IN (SELECT v::BIGINT FROM json_array_elements_text(?::json) AS t(v))`)).toBe(
      `SELECT '?', "a?" FROM t -- isn't it?\nWHERE a = $1 AND b IN (SELECT v::BIGINT FROM json_array_elements_text($2::json) AS t(v))`,
    );
    expect(numberPlaceholders(`SELECT 'it''s ?' , ?`)).toBe(`SELECT 'it''s ?' , $1`);
  });
});
