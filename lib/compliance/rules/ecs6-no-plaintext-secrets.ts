import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag';
import { credentialInValue, isSecretName } from '../secret-names';
import { PlatformRule } from './platform-rule';
import { isKnown, possibleAt, possibleElementsAt, UNKNOWN, Verdict } from './possible-values';
import { checkContainers } from './task-containers';

/** ECS6: no credential is set in plain text, by a secret-looking name or inside a value. */
export const ECS6_NO_PLAINTEXT_SECRETS: PlatformRule = {
  id: 'ECS6',
  statement: 'No container of the ECS task definition has a plain-text `Environment` variable whose name says it holds a credential (PASSWORD, PASSWD, PASSPHRASE, SECRET, TOKEN, CREDENTIAL(S), API_KEY, PRIVATE_KEY, ACCESS_KEY, SIGNING_KEY, a PWD or AUTH suffix...; names ending in _ARN, _NAME, _ID, _URL, _URI, _ENDPOINT, _PATH, _FILE, _TTL, ... point at or describe one and pass), or whose value carries a credential (`scheme://user:password@host`, `Password=...`, or a `{{resolve:secretsmanager:...}}` or `ssm-secure` reference, which CloudFormation resolves into the task definition\'s plain text); findings are `ContainerPlatform-ECS6[Container::<name>::<VARIABLE>]`.',
  info: 'A container of the ECS task definition sets a credential in a plain-text environment variable.',
  explanation: 'Plain-text environment values are readable by anyone who can describe the task definition and are stored in every revision; a {{resolve:secretsmanager:...}} value is resolved into that plain text at deploy. Pass the value with secrets: { NAME: ecs.Secret.fromSecretsManager(secret) } instead.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => checkContainers(node, (c) => {
    const findings = new Set<string>();
    for (const variable of possibleElementsAt(c, 'Environment', node)) {
      if (variable === UNKNOWN) {
        // A variable list nothing at synth can read may hold anything.
        return Verdict.NON_COMPLIANT;
      }
      const names = possibleAt(variable, 'Name', node).filter((n): n is string => typeof n === 'string' && isKnown(n));
      const values = possibleAt(variable, 'Value', node).filter((v): v is string => typeof v === 'string');
      for (const name of names) {
        if (isSecretName(name) || values.some(credentialInValue)) {
          findings.add(name);
        }
      }
    }
    return findings.size > 0 ? [...findings].sort() : Verdict.COMPLIANT;
  }),
};
