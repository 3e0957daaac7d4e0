/** Task rules mirrored from the backend (TaskRules), so a person hears about them before a round trip. */
export const titleMaxLength = 200;
export const descriptionMaxLength = 1000;

/** The message for each field that breaks a rule, by field name; empty when the input is acceptable. */
export function taskInputErrors(title: string, description: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const trimmed = title.trim();
  if (trimmed === '') errors.title = 'Enter a title.';
  else if (trimmed.length > titleMaxLength) errors.title = `Keep the title to ${titleMaxLength} characters or fewer.`;
  if (description.length > descriptionMaxLength) {
    errors.description = `Keep the description to ${descriptionMaxLength} characters or fewer.`;
  }
  return errors;
}
