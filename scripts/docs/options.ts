// docs/options.md from the `AccountRouterOptions` interface in lib/options.ts, read with the
// TypeScript parser: every option and nested option with its type, `@default` and description.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { code, generatedNotice, jsDocOf, parse, slug, table } from './markdown';

export interface OptionEntry {
  /** Dotted path, e.g. `cookie.sameSite`; index signatures read `<provider>`. */
  name: string;
  type: string;
  /** The `@default` text, `required`, or '' for optional options without one. */
  defaultText: string;
  description: string;
}

/** Types whose guide explains them better than their name does. */
const GUIDES: Record<string, string> = {
  StorageAdapter: 'storage-adapters.md',
  MailerOption: 'mail-and-sms.md',
  SmsOption: 'mail-and-sms.md',
  MessageTemplates: 'mail-and-sms.md#templates-and-locales',
  TrustProxy: 'security.md#behind-a-proxy',
  RateLimitStoreFactory: 'security.md#rate-limits',
};

type Members = ts.NodeArray<ts.TypeElement> | readonly ts.TypeElement[];

class OptionReader {
  private readonly declarations = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();

  constructor(private readonly source: ts.SourceFile) {
    for (const statement of source.statements) {
      if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) this.declarations.set(statement.name.text, statement);
    }
  }

  entries(root: string): OptionEntry[] {
    const declaration = this.declarations.get(root);
    if (!declaration || !ts.isInterfaceDeclaration(declaration)) throw new Error(`lib/options.ts has no interface ${root}`);
    return this.walk(declaration.members, '');
  }

  /**
   * The members of an option object written in this file: an `…Options` interface, a type alias,
   * an inline object type, or the object parts of a union or intersection. Other types (`Logger`,
   * imported ones) are values, not option objects.
   */
  private objectMembers(type: ts.TypeNode | undefined): { members: ts.TypeElement[]; doc: string } | null {
    if (!type) return null;
    if (ts.isTypeLiteralNode(type)) return { members: [...type.members], doc: '' };
    if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type)) {
      const parts = type.types.map((part) => this.objectMembers(part)).filter((part) => part !== null);
      return parts.length ? { members: parts.flatMap((part) => part.members), doc: parts.map((part) => part.doc).find(Boolean) ?? '' } : null;
    }
    if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
      const declaration = this.declarations.get(type.typeName.text);
      if (!declaration || !/Options$/.test(declaration.name.text)) return null;
      if (ts.isInterfaceDeclaration(declaration)) return { members: [...declaration.members], doc: jsDocOf(declaration).text };
      const inner = this.objectMembers(declaration.type);
      return inner && { ...inner, doc: inner.doc || jsDocOf(declaration).text };
    }
    return null;
  }

  /** The type as a reader needs it: the declared text without `| undefined`; for an index signature, its object parts. */
  private typeText(member: ts.TypeElement): string {
    const type = (member as ts.PropertySignature | ts.IndexSignatureDeclaration).type;
    if (!type) return '';
    if (ts.isIndexSignatureDeclaration(member) && ts.isUnionTypeNode(type)) {
      const objects = type.types.filter((part) => this.objectMembers(part));
      if (objects.length) return objects.map((part) => part.getText(this.source)).join(' | ');
    }
    const parts = ts.isUnionTypeNode(type) ? type.types.filter((part) => part.kind !== ts.SyntaxKind.UndefinedKeyword) : [type];
    const text = parts.map((part) => part.getText(this.source)).join(' | ');
    return ts.isTypeLiteralNode(type) ? 'object' : text.replace(/\s+/g, ' ');
  }

  private walk(members: Members, prefix: string): OptionEntry[] {
    const entries: OptionEntry[] = [];
    for (const member of members) {
      let key: string;
      if (ts.isPropertySignature(member)) key = member.name.getText(this.source);
      else if (ts.isIndexSignatureDeclaration(member)) key = `<${member.parameters[0]!.name.getText(this.source)}>`;
      else continue;
      const name = prefix + key;
      const doc = jsDocOf(member);
      const nested = this.objectMembers(member.type);
      const required = ts.isPropertySignature(member) && !member.questionToken;
      entries.push({
        name,
        type: this.typeText(member),
        defaultText: doc.tags.get('default') ?? (required ? 'required' : ''),
        description: doc.text || nested?.doc || '',
      });
      if (nested) entries.push(...this.walk(nested.members, `${name}.`));
    }
    return entries;
  }
}

/** Every option of `AccountRouterOptions`, nested ones after their parent. */
export function readOptions(root: string): OptionEntry[] {
  const file = path.join(root, 'lib/options.ts');
  return new OptionReader(parse(file, fs.readFileSync(file, 'utf8'))).entries('AccountRouterOptions');
}

/** A `@default` as a value: a leading literal (`'lax'`, `10`, `[…]`) in a code span, the rest as written. */
function defaultValue(text: string): string {
  const literal = /^('[^']*'|\[[^\]]*\]|-?[\d_]+|true|false|undefined|null)(?=$|[\s,.;—(])/.exec(text);
  if (!literal) return text;
  return code(literal[1]!) + text.slice(literal[1]!.length);
}

/** JSDoc names the guides as `docs/<page>.md`, which reads right in an editor; here they become links. */
const linkGuides = (text: string) => text.replace(/\bdocs\/([a-z0-9-]+)\.md\b/g, '[$1]($1.md)');

/** The type, with a link to the guide of the types that have one. */
function typeWithGuide(type: string): string {
  const guide = Object.keys(GUIDES).find((name) => new RegExp(`\\b${name}\\b`).test(type));
  return guide ? `${code(type)} ([guide](${GUIDES[guide]}))` : code(type);
}

export function renderOptions(root: string): string {
  const entries = readOptions(root);
  const heading = (entry: OptionEntry) => code(entry.name);
  const out = [
    generatedNotice('the `AccountRouterOptions` interface (lib/options.ts)'),
    '',
    '# Options',
    '',
    '`createAccountRouter(options)` takes one object; every option is optional and has the default',
    'shown. A bad value throws a `TypeError` naming the option when the router is created, and the',
    "caller's object is never modified.",
    '',
    table(
      ['option', 'type', 'default'],
      entries.map((entry) => [`[${heading(entry)}](#${slug(entry.name)})`, code(entry.type), entry.defaultText ? defaultValue(entry.defaultText.split(' — ')[0]!) : '']),
    ),
  ];
  for (const entry of entries) {
    out.push('', `### ${heading(entry)}`, '');
    const facts = [`Type: ${typeWithGuide(entry.type)}`];
    if (entry.defaultText) facts.push(entry.defaultText === 'required' ? 'required' : `Default: ${linkGuides(defaultValue(entry.defaultText))}`);
    out.push(facts.join(' · '));
    if (entry.description) out.push('', linkGuides(entry.description));
  }
  return out.join('\n') + '\n';
}
