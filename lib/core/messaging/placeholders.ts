// The template language of messages: `{{name}}` inserts a value, `{{#name}}…{{/name}}` keeps its
// content only when `name` is non-empty. Nothing else, so a host's template cannot run code.

/** Values a template sees, by variable name; absent and `''` both print nothing. */
export type TemplateValues = Readonly<Record<string, string | undefined>>;

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Fills a template. Sections go first, then values; inserted values are never scanned again, so
 * a user named `{{code}}` stays literally that.
 */
export function fill(template: string, values: TemplateValues, escape: (value: string) => string = (v) => v): string {
  return template
    .replace(/\{\{#(\w+)\}\}([\s\S]*?)\{\{\/\1\}\}/g, (_, name: string, inner: string) => (values[name] ? inner : ''))
    .replace(/\{\{(\w+)\}\}/g, (_, name: string) => escape(values[name] ?? ''));
}
