/** Which conversation was open, per user, so a reload (or the next visit) resumes it. */
const key = (userId: string) => `phase4:conversation:${userId}`;

export function rememberedConversation(storage: Storage, userId: string): number | null {
  try {
    const value = Number(storage.getItem(key(userId)));
    return Number.isInteger(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

export function rememberConversation(storage: Storage, userId: string, conversationId: number | null): void {
  try {
    if (conversationId === null) storage.removeItem(key(userId));
    else storage.setItem(key(userId), String(conversationId));
  } catch {
    // Storage disabled: the conversation just won't be reopened after a reload.
  }
}
