import * as vscode from 'vscode';
import type { PromptOpsModel } from '../model/promptOpsModel';

interface PromptTemplate {
  label: string;
  extension: string;
  text: (name: string) => string;
}

const TEMPLATES: PromptTemplate[] = [
  {
    label: 'Humanloop (.prompt)',
    extension: '.prompt',
    text: (n) =>
      `---\nmodel: gpt-4o\ntemperature: 0.7\n---\n<system>\nYou are ${n}.\n</system>\n<user>\n{{question}}\n</user>\n`,
  },
  {
    label: 'GitHub Models (.prompt.yml)',
    extension: '.prompt.yml',
    text: (n) =>
      `name: ${n}\nmodel: openai/gpt-4o\nmodelParameters:\n  temperature: 0.7\nmessages:\n  - role: system\n    content: You are ${n}.\n  - role: user\n    content: '{{question}}'\n`,
  },
  {
    label: 'Prompty (.prompty)',
    extension: '.prompty',
    text: (n) => `---\nname: ${n}\nmodel:\n  api: chat\n---\nsystem:\nYou are ${n}.\n\nuser:\n{{question}}\n`,
  },
  {
    label: 'VS Code prompt file (.prompt.md)',
    extension: '.prompt.md',
    text: (n) => `---\ndescription: ${n}\n---\nYou are ${n}. Answer: \${input:question}\n`,
  },
];

/** New Prompt: pick a format and a path; refused where I may not create prompts. */
export async function newPromptCommand(
  model: PromptOpsModel,
  args?: { path: string },
): Promise<vscode.Uri | undefined> {
  let path = args?.path;
  if (!path) {
    const template = await vscode.window.showQuickPick(TEMPLATES, { title: 'PromptOps: New Prompt — format' });
    if (!template) return undefined;
    const entered = await vscode.window.showInputBox({
      title: 'PromptOps: New Prompt — path in the repository',
      value: `prompts/new-prompt${template.extension}`,
      valueSelection: [8, 18],
      validateInput: (v) =>
        v.endsWith(template.extension) && !v.startsWith('/') && !v.includes('..')
          ? undefined
          : `A relative path ending in ${template.extension}`,
    });
    if (!entered) return undefined;
    path = entered;
  }
  const decision = model.decide('prompt.create', path);
  if (!decision?.allowed) {
    void vscode.window.showErrorMessage(
      `PromptOps: you may not create ${path}. ${decision?.reason ?? 'Sign in first.'}`,
    );
    return undefined;
  }
  const template = TEMPLATES.find((t) => path.endsWith(t.extension)) ?? TEMPLATES[0];
  const uri = model.uriOf(path);
  const name = path.split('/').pop()!.replace(template.extension, '');
  const exists = await vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
  if (!exists) await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(template.text(name)));
  await vscode.window.showTextDocument(uri);
  return uri;
}
