import { describe, expect, it } from 'vitest';
import { editDraftFrom, parseEditDraft, serializeEditDraft } from './editDraft';

describe('edit drafts', () => {
  it('round-trips an edit in progress and treats an empty value as not editing', () => {
    const draft = { title: 'Call mom', description: '' };
    expect(parseEditDraft(serializeEditDraft(draft))).toEqual(draft);
    expect(serializeEditDraft(null)).toBe('');
    expect(parseEditDraft('')).toBeNull();
  });

  it('ignores a stored value of the wrong shape', () => {
    expect(parseEditDraft('{"title":3}')).toBeNull();
    expect(parseEditDraft('not json')).toBeNull();
  });

  it('starts from the task, with no description as an empty field', () => {
    expect(
      editDraftFrom({ id: 1, user_id: 'u', title: 'T', description: null, completed: false, created_at: '', updated_at: '' }),
    ).toEqual({ title: 'T', description: '' });
  });
});
