// Markdown building blocks for the generated reference pages: code spans, table cells, tables,
// GitHub's heading anchors and the JSDoc text the pages quote.
import ts from 'typescript';

/** A code span that survives backticks inside the value. */
export function code(value: string): string {
  return value.includes('`') ? `\`\` ${value} \`\`` : `\`${value}\``;
}

/** Text that fits in one table cell: one line, pipes escaped (GitHub honours `\|` inside code spans too). */
export function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
}

export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The first line of every generated page: where it comes from and how to regenerate it. */
export function generatedNotice(source: string): string {
  return `<!-- Generated from ${source} by scripts/docs.js: edit the source, then run \`node scripts/docs.js\`. -->`;
}

export interface JsDoc {
  /** The comment text, `{@link X}` written as a code span. */
  text: string;
  tags: Map<string, string>;
}

const inlineLinks = (text: string) => text.replace(/\{@link\s+([^}\s]+)\s*\}/g, (_, name: string) => code(name));

/** The JSDoc of a declaration (for a variable, the comment above its statement). */
export function jsDocOf(node: ts.Node): JsDoc {
  const texts: string[] = [];
  const tags = new Map<string, string>();
  for (const doc of ts.getJSDocCommentsAndTags(node)) {
    if (ts.isJSDoc(doc)) {
      const text = ts.getTextOfJSDocComment(doc.comment);
      if (text) texts.push(text);
      for (const tag of doc.tags ?? []) tags.set(tag.tagName.text, inlineLinks(ts.getTextOfJSDocComment(tag.comment) ?? '').trim());
    }
  }
  return { text: inlineLinks(texts.join('\n\n')).trim(), tags };
}

/** Parses a TypeScript file for its declarations and comments (no type checking, so it is fast). */
export function parse(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
}
