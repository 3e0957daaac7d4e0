import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, describeError, fieldErrorsOf } from './problem';

describe('fieldErrorsOf', () => {
  it('keeps snake_case keys and joins several messages for one field', () => {
    expect(fieldErrorsOf({ errors: { title: ['Required.', 'Too short.'], description: 'Too long.' } })).toEqual({
      title: 'Required. Too short.',
      description: 'Too long.',
    });
  });

  it('maps the other ways ASP.NET names a field to the form field name', () => {
    expect(fieldErrorsOf({ errors: { Title: ['a'], '$.description': ['b'], 'request.Email': ['c'], conversationId: ['d'] } })).toEqual({
      title: 'a',
      description: 'b',
      email: 'c',
      conversation_id: 'd',
    });
  });

  it('merges two spellings of the same field and drops empty messages', () => {
    expect(fieldErrorsOf({ errors: { title: ['One.'], Title: ['Two.', ''], note: [] } })).toEqual({ title: 'One. Two.' });
  });

  it('is empty without a problem or without errors', () => {
    expect(fieldErrorsOf(undefined)).toEqual({});
    expect(fieldErrorsOf({ title: 'Bad request' })).toEqual({});
  });
});

describe('describeError', () => {
  it.each([
    [401, 'Sign in again'],
    [403, "don't have access"],
    [404, 'no longer exists'],
    [409, 'changed elsewhere'],
    [412, 'changed elsewhere'],
    [413, 'too long'],
    [500, 'unavailable'],
    [502, 'unavailable'],
    [503, 'unavailable'],
  ])('says in words what a %i means', (status, words) => {
    expect(describeError(new ApiError(status, { status, title: 'internal words' }))).toContain(words);
  });

  it('says how long to wait when throttled', () => {
    expect(describeError(new ApiError(429, undefined, 1))).toBe('Too many attempts. Try again in 1 second.');
    expect(describeError(new ApiError(429, undefined, 90))).toBe('Too many attempts. Try again in 2 minutes.');
    expect(describeError(new ApiError(429))).toContain('Wait a little');
  });

  it('uses field messages, then the detail, then the title for other 4xx answers', () => {
    expect(describeError(new ApiError(400, { errors: { message: ['Too long.'] }, detail: 'd' }))).toBe('Too long.');
    expect(describeError(new ApiError(400, { detail: 'The detail.', title: 'The title.' }))).toBe('The detail.');
    expect(describeError(new ApiError(400, { title: 'The title.' }))).toBe('The title.');
    expect(describeError(new ApiError(400))).toContain('Check what you entered');
  });

  it('tells an unreachable server apart from other failures', () => {
    expect(describeError(new NetworkError(new TypeError('fetch failed')))).toContain("Can't reach the server");
    expect(describeError(new Error('boom'))).toBe('Something went wrong. Try again.');
  });
});
