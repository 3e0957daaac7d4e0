import { useCallback, useState } from 'react';
import { readDraft, writeDraft } from './drafts';

/** Like useState for a text field, but the value survives the component (and the page) going away. */
export function useDraft(key: string): [string, (value: string) => void] {
  const [value, setValue] = useState(() => readDraft(sessionStorage, key));
  const update = useCallback(
    (next: string) => {
      // Written straight away: if this call is what unmounts the component (a 401), the text is still kept.
      writeDraft(sessionStorage, key, next);
      setValue(next);
    },
    [key],
  );
  return [value, update];
}
