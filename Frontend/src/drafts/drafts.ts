/**
 * What a person has typed but not yet saved, kept in sessionStorage (this tab only) per user, so an expired session
 * that sends them back to sign-in — or a reload — loses nothing. Signing out on purpose clears it.
 */
const prefix = 'phase4:draft:';

export function draftKey(userId: string, name: string): string {
  return `${prefix}${userId}:${name}`;
}

export function readDraft(storage: Storage, key: string): string {
  try {
    return storage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

export function writeDraft(storage: Storage, key: string, value: string): void {
  try {
    if (value === '') storage.removeItem(key);
    else storage.setItem(key, value);
  } catch {
    // Storage full or disabled: the draft then lives only as long as the page.
  }
}

export function clearDrafts(storage: Storage, userId: string): void {
  const mine = `${prefix}${userId}:`;
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(mine)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
}
