// What counts as a credential in a container's plain-text environment. One definition for the
// service's validation (LoadBalancedService throws) and the pack's ECS6 rule (a finding), so that
// the two never disagree. Not exported from lib/index.ts: jsii carries no free functions.

/** Words that name a credential on their own (`DB_PASSWORD`, `GITHUB_TOKEN`, `AWS_CREDENTIALS`). */
const SECRET_WORDS = new Set([
  'PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'CREDENTIAL', 'CREDENTIALS', 'CREDS',
  'APIKEY', 'ACCESSKEY', 'PRIVATEKEY', 'SECRETKEY',
]);
/**
 * Words that make a following KEY a credential (`API_KEY`, `SIGNING_KEY`, Laravel's `APP_KEY`); a KEY
 * alone is too often a cache, partition or S3 object key.
 */
const KEY_QUALIFIERS = new Set([
  'API', 'ACCESS', 'PRIVATE', 'SECRET', 'SIGNING', 'ENCRYPTION', 'MASTER', 'SSH', 'CLIENT', 'LICENSE', 'HMAC', 'JWT', 'SESSION', 'APP', 'AUTH', 'WEBHOOK',
]);
/**
 * Last words that make the name point at a secret or describe it rather than hold it: `DB_SECRET_ARN`,
 * `TOKEN_URL`, `DB_PASSWORD_FILE` (the Docker secrets convention), `TOKEN_TTL`, `AWS_ACCESS_KEY_ID`
 * (an identifier; its secret half is flagged).
 */
const DESCRIBING_WORDS = new Set([
  'ARN', 'NAME', 'ID', 'URL', 'URI', 'ENDPOINT', 'HOST', 'PORT', 'PATH', 'FILE', 'DIR', 'REGION',
  'TTL', 'EXPIRY', 'EXPIRATION', 'EXPIRES', 'TIMEOUT', 'LIFETIME', 'ISSUER', 'AUDIENCE', 'HEADER', 'PREFIX',
  'LENGTH', 'SIZE', 'LIMIT', 'COUNT', 'TYPE', 'MODE', 'METHOD', 'PROVIDER', 'FORMAT', 'ALGORITHM', 'VERSION', 'POLICY', 'ROTATION', 'ENABLED',
]);
/**
 * Credential words that other words are run into without a separator: libpq's `PGPASSWORD`,
 * `DBPASSWORD`, `GITHUBTOKEN`, `CLIENTSECRET`. Only as the end of a word: `PASSWORDLESS` and
 * `TOKENIZER` describe something else.
 */
const SECRET_SUFFIXES = ['PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'TOKEN'];
/** First words of a setting about a credential (`ALLOW_EMPTY_PASSWORD`, `MAX_TOKENS`, `DISABLE_AUTH`). */
const SETTING_WORDS = new Set(['ALLOW', 'ENABLE', 'DISABLE', 'USE', 'REQUIRE', 'SKIP', 'NO', 'MIN', 'MAX', 'IS', 'HAS']);

/**
 * Whether an environment variable name says that its value is a credential, which belongs in
 * `secrets` (Secrets Manager or SSM SecureString), not in plain-text `environment`.
 *
 * The name is split into words at `_`, `-`, `.` and camelCase humps (trailing digits dropped), and
 * is a secret name when a word is one of PASSWORD, PASSWD, PASSPHRASE, SECRET(S), TOKEN,
 * CREDENTIAL(S), CREDS, or a word ending in PASSWORD, PASSWD, PASSPHRASE, SECRET or TOKEN (`PGPASSWORD`,
 * `GITHUBTOKEN`); a KEY after API, ACCESS, PRIVATE, SECRET, SIGNING, ENCRYPTION, MASTER, SSH,
 * CLIENT, LICENSE, HMAC, JWT, SESSION, APP, AUTH or WEBHOOK (or APIKEY written as one word); PWD or
 * PASS after another word (`MYSQL_PWD`, `SMTP_PASS`; `PWD` alone is the shell's working directory); or AUTH as the last of
 * several words (`BASIC_AUTH`, `REDIS_AUTH`).
 *
 * It is not one when its last word says it points at or describes a secret (ARN, NAME, ID, URL, URI,
 * ENDPOINT, HOST, PORT, PATH, FILE, DIR, REGION, TTL, EXPIRY, TIMEOUT, ISSUER, AUDIENCE, HEADER,
 * LENGTH, COUNT, TYPE, MODE, ENABLED, ...), or its first word makes it a setting (ALLOW, ENABLE, DISABLE,
 * USE, REQUIRE, SKIP, NO, MIN, MAX, IS, HAS), or the word is only part of a longer one
 * (`TOKENIZER`, `PASSWORDLESS`). `SECRETS_MANAGER` names the service, not a secret.
 * CONNECTION_STRING and DSN are judged by their value ({@link credentialInValue}): the name does not
 * say whether a password is in it.
 */
export function isSecretName(name: string): boolean {
  const words = splitWords(name);
  if (words.length === 0 || DESCRIBING_WORDS.has(words[words.length - 1]) || SETTING_WORDS.has(words[0])) {
    return false;
  }
  return words.some((word, i) => {
    const previous = words[i - 1];
    if (word === 'SECRETS' && words[i + 1] === 'MANAGER') {
      return false;
    }
    return SECRET_WORDS.has(word)
      || SECRET_SUFFIXES.some((suffix) => word.length > suffix.length && word.endsWith(suffix))
      || (word === 'KEY' && previous !== undefined && KEY_QUALIFIERS.has(previous))
      || ((word === 'PWD' || word === 'PASS') && i > 0)
      || (word === 'AUTH' && i > 0 && i === words.length - 1);
  });
}

/**
 * Whether a plain-text value carries a credential itself: a URL with user information
 * (`postgres://app:s3cret@db:5432/app`, `redis://:s3cret@cache`), a key-value connection string
 * (`Server=db;User Id=app;Password=s3cret`, libpq's `password=s3cret`), a password query parameter
 * (`https://host/?password=s3cret`), Java system property or flag (`-Dspring.datasource.password=s3cret`,
 * `--password=s3cret`), a PEM private key (`-----BEGIN RSA PRIVATE KEY-----`), or a CloudFormation
 * `{{resolve:secretsmanager:...}}` or `{{resolve:ssm-secure:...}}` reference, which CloudFormation
 * resolves into the resource: "the secret value may show up in the service whose resource it's being
 * used in" (CloudFormation User Guide, "Get a secret or secret value from Secrets Manager"). A
 * password that is a shell variable (`$DB_PASSWORD`, `${DB_PASSWORD}`) is expanded by the process
 * and passes.
 */
export function credentialInValue(value: string): boolean {
  if (/\{\{resolve:(secretsmanager|ssm-secure):/.test(value) || /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(value)) {
    return true;
  }
  const passwords = [
    ...[...value.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*:([^\s/?#@]+)@/gi)].map((m) => m[1]),
    // `password=` after a separator: connection strings, query parameters, Java system properties
    // (`-Ddb.password=`, `-Dpassword=`) and command-line flags (`--password=`); not `EMPTY_PASSWORD=yes`.
    ...[...value.matchAll(/(?:^|[;\s?&.\-]|-D)(?:password|passwd|pwd)\s*=\s*([^;\s&]+)/gi)].map((m) => m[1]),
  ];
  return passwords.some((p) => !/^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(p));
}

function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toUpperCase().replace(/[0-9]+$/, ''))
    .filter((w) => w.length > 0);
}
