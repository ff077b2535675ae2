// User labels, as Appwrite defines them: the names `Role.label()` permissions match, set through
// the Users API (`PUT /users/:userId/labels`) and checked by `requireAccount({ labels })`. One
// home for the rule, so the guard and the route accept the same names.

/** A label: 1–36 ASCII letters and digits (Appwrite's Text(36) with an alphanumeric allow list). */
export const LABEL = /^[A-Za-z0-9]{1,36}$/;

/** How many labels one user may carry (Appwrite's APP_LIMIT_ARRAY_LABELS_SIZE). */
export const MAX_LABELS = 1000;

/** True when `labels` is a list of at most MAX_LABELS valid labels. */
export function isLabelList(labels: unknown): labels is string[] {
  return Array.isArray(labels) && labels.length <= MAX_LABELS && labels.every((label) => typeof label === 'string' && LABEL.test(label));
}
