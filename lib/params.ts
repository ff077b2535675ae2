// The parameter vocabulary: one rule per concept. Each rule knows how to check and coerce a value,
// how to describe itself in an error message (the spec's wording), and its JSON-Schema fragment.
import { AccountError } from './errors';
import { isAllowedRedirect } from './core/redirects';
import { isLabelList, LABEL, MAX_LABELS } from './core/labels';

export interface ParamContext {
  allowedHosts: readonly string[];
}

/** Marks a value the rule refuses; the message then uses the rule's description. */
const INVALID: unique symbol = Symbol('invalid');
/** A refusal whose message says more than the rule's description (which stays Appwrite's wording). */
class Refusal {
  constructor(readonly reason: string) {}
}
type Checked<T> = T | typeof INVALID | Refusal;

export interface ParamRule<T = unknown> {
  readonly description: string;
  readonly schema: Record<string, unknown>;
  readonly required: boolean;
  readonly defaultValue?: T;
  check(value: unknown, ctx: ParamContext): Checked<T>;
  /** The same rule, optional; `defaultValue` is used when the parameter is absent or null. */
  optional(defaultValue?: T): ParamRule<T | undefined>;
}

function rule<T>(description: string, schema: Record<string, unknown>, check: (value: unknown, ctx: ParamContext) => Checked<T>): ParamRule<T> {
  const make = (required: boolean, defaultValue?: T): ParamRule<T> => ({
    description,
    schema: defaultValue === undefined ? schema : { ...schema, default: defaultValue },
    required,
    defaultValue,
    check,
    optional: (value?: T) => make(false, value) as ParamRule<T | undefined>,
  });
  return make(true);
}

/** A custom id, as Appwrite's UID validator takes it: at most 36 characters. */
export const CUSTOM_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,35}$/;
const ID_DESCRIPTION =
  "Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char";
// RFC-ish, close to PHP's FILTER_VALIDATE_EMAIL: dot-atom local part, dotted host name.
const EMAIL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
export const E164 = /^\+[1-9]\d{6,14}$/;

/** Length in characters (code points), as the spec counts names. */
function charLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/**
 * How deep a JSON parameter may nest, the parameter itself being level 1. Real prefs use a few
 * levels; the bound keeps every later recursive step (JSON.stringify in size accounting, storage
 * and responses) far from the stack limit, which V8 reaches a few thousand levels down.
 */
export const MAX_JSON_DEPTH = 100;

/**
 * The first problem of a JSON value: nesting deeper than `maxDepth`, or U+0000 in a key or string
 * (see `text`). Walks with an explicit stack, so no depth of input can overflow the call stack.
 */
function jsonProblem(value: unknown, maxDepth: number): 'too-deep' | 'nul' | null {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value === 'string') {
      if (next.value.includes('\0')) return 'nul';
      continue;
    }
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > maxDepth) return 'too-deep';
    for (const [key, inner] of Object.entries(next.value)) {
      if (key.includes('\0')) return 'nul';
      pending.push({ value: inner, depth: next.depth + 1 });
    }
  }
  return null;
}

/** Size of the value's JSON as PHP encodes it: every non-ASCII UTF-16 unit as \uXXXX, `/` as `\/`. */
export function phpJsonSize(value: unknown): number {
  const json = JSON.stringify(value);
  let size = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    size += c > 0x7f ? 6 : c === 0x2f ? 2 : 1;
  }
  return size;
}

/**
 * `1000` → `1,000`, as `toLocaleString('en-US')` writes integers. Not Intl: these messages are
 * built when the module loads, and Intl's first use maps several MiB of ICU data into every
 * process, which a router that never formats a number for a reader need not carry.
 */
function withThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export const p = {
  /** `unique()` or a custom id; `unique()` is returned as null so the caller generates one. */
  customId: () =>
    rule<string | null>(ID_DESCRIPTION, { type: 'string', maxLength: 36, pattern: CUSTOM_ID.source }, (v) =>
      v === 'unique()' ? null : typeof v === 'string' && CUSTOM_ID.test(v) ? v : INVALID,
    ),
  /** An existing id (path ids, userId on confirmation routes). */
  uid: () =>
    rule<string>(ID_DESCRIPTION, { type: 'string', maxLength: 36, pattern: CUSTOM_ID.source }, (v) =>
      typeof v === 'string' && CUSTOM_ID.test(v) ? v : INVALID,
    ),
  /** Lower-cased on the way in, so every route compares emails the same way. */
  email: () =>
    rule<string>('Value must be a valid email address', { type: 'string', format: 'email', maxLength: 320 }, (v) => {
      if (typeof v !== 'string') return INVALID;
      const email = v.trim().toLowerCase();
      const at = email.indexOf('@');
      return email.length <= 320 && at > 0 && at <= 64 && EMAIL.test(email) ? email : INVALID;
    }),
  /** Measured in bytes, as the spec does. */
  password: (min = 8, max = 256) =>
    rule<string>(
      `Password must be between ${min} and ${max} characters long.`,
      { type: 'string', minLength: min, maxLength: max, format: 'password' },
      (v) => {
        if (typeof v !== 'string') return INVALID;
        const bytes = Buffer.byteLength(v);
        return bytes >= min && bytes <= max ? v : INVALID;
      },
    ),
  text: (min: number, max: number) =>
    rule<string>(
      `Value must be a valid string and at least ${min} chars and no longer than ${max} chars`,
      { type: 'string', minLength: min, maxLength: max },
      (v) => {
        // NUL is refused everywhere: PostgreSQL cannot store it, so every adapter answers alike.
        if (typeof v !== 'string' || v.includes('\0')) return INVALID;
        const n = charLength(v);
        return n >= min && n <= max ? v : INVALID;
      },
    ),
  phone: () =>
    rule<string>(
      "Phone number must start with a '+' can have a maximum of fifteen digits.",
      { type: 'string', pattern: E164.source },
      (v) => (typeof v === 'string' && E164.test(v) ? v : INVALID),
    ),
  boolean: () =>
    rule<boolean>('Value must be a valid boolean', { type: 'boolean' }, (v) => (typeof v === 'boolean' ? v : INVALID)),
  /** Booleans that may also arrive in a query string (`total=false`). */
  looseBoolean: () =>
    rule<boolean>('Value must be a valid boolean', { type: 'boolean' }, (v) => {
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === '1') return true;
      if (v === 'false' || v === '0') return false;
      return INVALID;
    }),
  integer: (min: number, max: number) =>
    rule<number>(
      `Value must be a valid range between ${withThousands(min)} and ${withThousands(max)}`,
      { type: 'integer', minimum: min, maximum: max },
      (v) => {
        const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
        return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : INVALID;
      },
    ),
  oneOf: <T extends string>(values: readonly T[]) =>
    rule<T>(`Value must be one of (${values.join(', ')})`, { type: 'string', enum: values }, (v) =>
      typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : INVALID,
    ),
  /**
   * A JSON object (an empty array counts as `{}`), at most `maxBytes` as PHP would encode it and
   * at most MAX_JSON_DEPTH levels deep (checked first: measuring the size recurses).
   */
  object: (maxBytes = 65535) =>
    rule<Record<string, unknown>>(
      `Value must be a valid object and no longer than ${maxBytes} bytes.`,
      { type: 'object' },
      (v) => {
        if (Array.isArray(v) && v.length === 0) return {};
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return INVALID;
        const problem = jsonProblem(v, MAX_JSON_DEPTH);
        if (problem === 'too-deep') return new Refusal(`Value must be a valid object nested no more than ${MAX_JSON_DEPTH} levels deep.`);
        if (problem === 'nul') return INVALID;
        return phpJsonSize(v) <= maxBytes ? (v as Record<string, unknown>) : INVALID;
      },
    ),
  stringArray: (maxItems: number, maxLength: number) =>
    rule<string[]>(
      `Value must a valid array no longer than ${maxItems} items and Value must be a valid string and at least 1 chars and no longer than ${maxLength} chars`,
      { type: 'array', maxItems, items: { type: 'string', maxLength } },
      (v) => {
        if (!Array.isArray(v) || v.length > maxItems) return INVALID;
        return v.every((item) => typeof item === 'string' && item.length >= 1 && item.length <= maxLength) ? (v as string[]) : INVALID;
      },
    ),
  /** `rule`, or '' (the Users API clears an email, phone or password with it). */
  emptyOr: <T>(inner: ParamRule<T>) =>
    rule<T | ''>(inner.description, { anyOf: [inner.schema, { type: 'string', maxLength: 0 }] }, (v, ctx) => (v === '' ? '' : inner.check(v, ctx))),
  /** A user's labels, as Appwrite takes them: at most 1,000, each 1–36 letters or digits (ASCII). */
  labels: () =>
    rule<string[]>(
      "Value must a valid array no longer than 1000 items and Value must be a valid string and at least 1 chars and no longer than 36 chars and only consist of 'a-z, A-Z, 0-9' chars",
      { type: 'array', maxItems: MAX_LABELS, items: { type: 'string', minLength: 1, maxLength: 36, pattern: LABEL.source } },
      (v) => (isLabelList(v) ? v : INVALID),
    ),
  /** A redirect target: http(s) with a host in `allowedHosts`. */
  redirectUrl: () =>
    rule<string>(
      'Invalid URI. Register your new client as a new platform on your project console dashboard',
      { type: 'string', format: 'uri' },
      (v, ctx) => (typeof v === 'string' && isAllowedRedirect(v, ctx.allowedHosts) ? v : INVALID),
    ),
};

export type ParamSchema = Record<string, ParamRule<unknown>>;

/** The validated values of a schema, typed from its rules. */
export type ParamValues<S extends ParamSchema> = { [K in keyof S]: S[K] extends ParamRule<infer T> ? T : never };

/**
 * What `rule` makes of a value — the value `validateParams` hands the handler — or undefined when
 * it is absent or refused. Rate-limit keys are built from it, so no spelling of one value that the
 * rule accepts (padded, cased) can count apart from the others.
 */
export function acceptedValue(rule: ParamRule<unknown>, raw: unknown, ctx: ParamContext): unknown {
  if (raw === undefined || raw === null) return undefined;
  const value = rule.check(raw, ctx);
  return value === INVALID || value instanceof Refusal ? undefined : value;
}

/**
 * Validates `input` against `schema` in declaration order; the first failure is a 400 that names
 * the parameter. Unknown parameters are ignored; `null` counts as absent.
 */
export function validateParams<S extends ParamSchema>(schema: S, input: Record<string, unknown>, ctx: ParamContext): ParamValues<S> {
  const out: Record<string, unknown> = {};
  for (const name in schema) {
    const ruleForName = schema[name]!;
    const raw = input[name];
    if (raw === undefined || raw === null) {
      if (ruleForName.required) throw new AccountError('general_argument_invalid', `Param "${name}" is not optional.`);
      out[name] = ruleForName.defaultValue;
      continue;
    }
    const value = ruleForName.check(raw, ctx);
    if (value === INVALID || value instanceof Refusal) {
      const reason = value === INVALID ? ruleForName.description : value.reason;
      throw new AccountError('general_argument_invalid', `Invalid \`${name}\` param: ${reason}`);
    }
    out[name] = value;
  }
  return out as ParamValues<S>;
}

/** `queries[]`, `search` and `total`, as node-appwrite sends them to every searchable list. */
export function listParams() {
  return { queries: p.stringArray(100, 4096).optional([]), search: p.text(0, 256).optional(''), total: p.looseBoolean().optional(true) };
}
