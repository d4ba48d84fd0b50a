import { credentialInValue, isSecretName } from '../../lib/compliance/secret-names';

describe('isSecretName', () => {
  test.each([
    'DB_PASSWORD', 'dbPassword', 'MYSQL_PWD', 'PASSWD', 'GPG_PASSPHRASE', 'CLIENT_SECRET', 'APP_SECRETS', 'GITHUB_TOKEN', 'TOKEN',
    'AWS_CREDENTIALS', 'DOCKER_CREDS', 'API_KEY', 'APIKEY', 'StripeApiKey', 'PRIVATE_KEY', 'AWS_SECRET_ACCESS_KEY', 'SIGNING_KEY',
    'APP_KEY', 'NEW_RELIC_LICENSE_KEY', 'BASIC_AUTH', 'REDIS_AUTH', 'DB_PASSWORD2',
    // Credential words run into another word, and PASS as a suffix word.
    'PGPASSWORD', 'DBPASSWORD', 'GITHUBTOKEN', 'APITOKEN', 'ClientSecret', 'OAUTHCLIENTSECRET', 'DB_PASS', 'SMTP_PASS',
  ])('%s names a credential', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  test.each([
    'PWD', 'OLDPWD', 'LOG_LEVEL', 'TOKEN_URL', 'TOKEN_ENDPOINT', 'DB_SECRET_ARN', 'DB_SECRET_NAME', 'DB_PASSWORD_FILE', 'AWS_ACCESS_KEY_ID',
    'TOKEN_TTL', 'JWT_ISSUER', 'MAX_TOKENS', 'ALLOW_EMPTY_PASSWORD', 'MIN_PASSWORD_LENGTH', 'TOKENIZER_MODEL', 'PASSWORDLESS_LOGIN',
    'SECRETS_MANAGER_ENDPOINT', 'USE_SECRETS_MANAGER', 'AUTH_ENABLED', 'AUTH', 'OAUTH_ISSUER', 'POSTGRES_HOST_AUTH_METHOD', 'CACHE_KEY',
    'PARTITION_KEY', 'KMS_KEY', 'SENTRY_DSN', 'DATABASE_URL', 'CONNECTION_STRING',
    'TOKEN_COUNT', 'PASS', 'BYPASS', 'PGPASSWORD_FILE', 'SKIP_PASS',
  ])('%s does not', (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe('credentialInValue', () => {
  test.each([
    'postgres://app:s3cret@db:5432/app', 'redis://:s3cret@cache:6379', 'https://user:pa:ss@example.com/x',
    'Server=db;User Id=app;Password=s3cret;', 'host=db password=s3cret', '{{resolve:secretsmanager:db:SecretString:password}}',
    '{{resolve:ssm-secure:/db/password:1}}', 'https://api.example.com/login?user=app&password=s3cret',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEow...', '-----BEGIN OPENSSH PRIVATE KEY-----', '-----BEGIN PRIVATE KEY-----',
    '-Xmx512m -Dspring.datasource.password=s3cret', '-Dpassword=s3cret', 'app --user admin --password=s3cret',
  ])('finds a credential in %s', (value) => {
    expect(credentialInValue(value)).toBe(true);
  });

  test.each([
    'https://example.com/x', 'postgres://app@db:5432/app', 'postgres://app:${DB_PASSWORD}@db/app', 'postgres://app:$DB_PASSWORD@db/app',
    'mailto:someone@example.com', '{{resolve:ssm:/app/log-level}}', 'password_policy=strict', 'https://api.example.com/login?password=$DB_PASSWORD', '-----BEGIN CERTIFICATE-----',
    'MYSQL_ALLOW_EMPTY_PASSWORD=yes', '-Dspring.datasource.password=${DB_PASSWORD}', '--password-file=/run/secrets/db',
    '-----BEGIN PUBLIC KEY-----',
  ])('finds none in %s', (value) => {
    expect(credentialInValue(value)).toBe(false);
  });
});
