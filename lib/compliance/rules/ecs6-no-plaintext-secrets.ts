import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel } from '../lazy-nag';
import { credentialInValue, isSecretName } from '../secret-names';
import { PlatformRule } from './platform-rule';
import { isKnown, noEchoParameters, possibleAt, possibleElementsAt, UNKNOWN, UNKNOWN_TEXT, Verdict } from './possible-values';
import { checkContainers } from './task-containers';

/** ECS6: no credential is set in plain text, by a secret-looking name or inside a value. */
export const ECS6_NO_PLAINTEXT_SECRETS: PlatformRule = {
  id: 'ECS6',
  statement: 'No container of the ECS task definition has a plain-text `Environment` variable whose name says it holds a credential (PASSWORD, PASSWD, PASSPHRASE, SECRET, TOKEN, CREDENTIAL(S), API_KEY, PRIVATE_KEY, ACCESS_KEY, SIGNING_KEY, run together as in PGPASSWORD, a PWD, PASS or AUTH suffix...; names ending in _ARN, _NAME, _ID, _URL, _URI, _ENDPOINT, _PATH, _FILE, _TTL, ... point at or describe one and pass), or whose value carries a credential (`scheme://user:password@host`, `Password=...`, `?password=...`, `-Ddb.password=...`, `--password=...`, a PEM private key, a `Ref` or `${...}` of a `NoEcho` parameter, or a `{{resolve:secretsmanager:...}}` or `ssm-secure` reference, which CloudFormation resolves into the task definition\'s plain text); a name only known at deploy time is judged by its value and known words; findings are `ContainerPlatform-ECS6[Container::<name>::<VARIABLE>]` (`unresolved` for an unknown name).',
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
      // A name only known at deploy time is judged by its value; its known parts still count.
      const names = possibleAt(variable, 'Name', node).filter((n): n is string => typeof n === 'string')
        .map((n) => (isKnown(n) ? n : n.split(UNKNOWN_TEXT).join('*')));
      const values = possibleAt(variable, 'Value', node).filter((v): v is string => typeof v === 'string');
      // A NoEcho parameter is a value the template's author marked secret; the task definition shows it.
      const valueIsSecret = values.some(credentialInValue) || noEchoParameters((variable as any)?.Value, node).length > 0;
      for (const name of names.length > 0 ? names : ['unresolved']) {
        if (isSecretName(name) || valueIsSecret) {
          findings.add(/^\**$/.test(name) ? 'unresolved' : name);
        }
      }
    }
    return findings.size > 0 ? [...findings].sort() : Verdict.COMPLIANT;
  }),
};
