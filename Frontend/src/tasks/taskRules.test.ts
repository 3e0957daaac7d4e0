import { describe, expect, it } from 'vitest';
import { taskInputErrors } from './taskRules';

describe('taskInputErrors', () => {
  it('mirrors the backend rules: a trimmed title of 1–200 characters, a description of at most 1000', () => {
    expect(taskInputErrors('  Buy milk ', '')).toEqual({});
    expect(taskInputErrors('   ', '').title).toBe('Enter a title.');
    expect(taskInputErrors('x'.repeat(200), '')).toEqual({});
    expect(taskInputErrors('x'.repeat(201), '').title).toContain('200');
    expect(taskInputErrors('ok', 'd'.repeat(1000))).toEqual({});
    expect(taskInputErrors('ok', 'd'.repeat(1001)).description).toContain('1000');
  });
});
