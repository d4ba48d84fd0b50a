import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag';
import { PlatformRule } from './platform-rule';
import { checkContainers, ContainerVerdict } from './task-containers';

/** Words in a variable name (letters and digits only, upper case) that say its value is a credential. */
const SECRET_WORDS = /PASSWORD|PASSWD|SECRET|TOKEN|APIKEY|PRIVATEKEY|ACCESSKEY|CREDENTIAL/;
/** Name endings that point at a secret rather than hold one (`DB_SECRET_ARN`, `TOKEN_URL`). */
const REFERENCE_SUFFIXES = /_(ARN|NAME|URL|URI|ENDPOINT|PATH|FILE|REGION)$/;

/** ECS6: no secret-looking variable is set in plain text. */
export const ECS6_NO_PLAINTEXT_SECRETS: PlatformRule = {
  id: 'ECS6',
  statement: 'No container of the ECS task definition has a plain-text `Environment` variable whose name looks like a credential (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, ACCESS_KEY, CREDENTIAL; names ending in _ARN, _NAME, _URL, _URI, _ENDPOINT, _PATH, _FILE, _REGION are references and pass); findings are `ContainerPlatform-ECS6[Container::<name>::<VARIABLE>]`.',
  info: 'A container of the ECS task definition sets a secret-looking environment variable in plain text.',
  explanation: 'Plain-text environment values are readable by anyone who can describe the task definition and are stored in every revision. Pass the value with secrets: { NAME: ecs.Secret.fromSecretsManager(secret) } instead.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => checkContainers(node, (c) => {
    if (c.Environment !== undefined && !Array.isArray(c.Environment)) {
      return ContainerVerdict.UNKNOWN;
    }
    const names: string[] = (c.Environment ?? []).map((v: any) => v?.Name).filter((n: unknown): n is string => typeof n === 'string');
    const secretLooking = names.filter((n) => !REFERENCE_SUFFIXES.test(n.toUpperCase()) && SECRET_WORDS.test(n.toUpperCase().replace(/[^A-Z0-9]/g, '')));
    return secretLooking.length > 0 ? secretLooking : ContainerVerdict.COMPLIANT;
  }),
};
