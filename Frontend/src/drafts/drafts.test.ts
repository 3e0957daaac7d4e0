// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { rememberConversation, rememberedConversation } from '../chat/conversationMemory';
import { clearDrafts, draftKey, readDraft, writeDraft } from './drafts';

describe('drafts', () => {
  beforeEach(() => sessionStorage.clear());

  it('keeps typed text per user and field, and forgets an emptied field', () => {
    writeDraft(sessionStorage, draftKey('alice', 'new-task'), 'Buy milk');
    writeDraft(sessionStorage, draftKey('bob', 'new-task'), 'Walk dog');
    expect(readDraft(sessionStorage, draftKey('alice', 'new-task'))).toBe('Buy milk');
    expect(readDraft(sessionStorage, draftKey('alice', 'chat'))).toBe('');
    writeDraft(sessionStorage, draftKey('alice', 'new-task'), '');
    expect(sessionStorage.getItem(draftKey('alice', 'new-task'))).toBeNull();
  });

  it("clears one user's drafts on sign-out and leaves everything else", () => {
    writeDraft(sessionStorage, draftKey('alice', 'new-task'), 'a');
    writeDraft(sessionStorage, draftKey('alice', 'chat'), 'b');
    writeDraft(sessionStorage, draftKey('bob', 'chat'), 'c');
    sessionStorage.setItem('unrelated', 'd');
    clearDrafts(sessionStorage, 'alice');
    expect(sessionStorage.length).toBe(2);
    expect(readDraft(sessionStorage, draftKey('bob', 'chat'))).toBe('c');
  });
});

describe('conversation memory', () => {
  beforeEach(() => localStorage.clear());

  it('remembers the open conversation per user and forgets it on request', () => {
    rememberConversation(localStorage, 'alice', 12);
    expect(rememberedConversation(localStorage, 'alice')).toBe(12);
    expect(rememberedConversation(localStorage, 'bob')).toBeNull();
    rememberConversation(localStorage, 'alice', null);
    expect(rememberedConversation(localStorage, 'alice')).toBeNull();
  });

  it('ignores a stored value that is not a conversation id', () => {
    localStorage.setItem('phase4:conversation:alice', 'abc');
    expect(rememberedConversation(localStorage, 'alice')).toBeNull();
    localStorage.setItem('phase4:conversation:alice', '-3');
    expect(rememberedConversation(localStorage, 'alice')).toBeNull();
  });
});
