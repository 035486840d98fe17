import * as vscode from 'vscode';

/** Where "Set Model API Key" keeps the endpoint's key: VS Code's SecretStorage, never settings or the repo. */
export const MODEL_API_KEY_SECRET = 'promptops.modelApiKey';

/** The environment the endpoint is read from, with the stored key in place of PROMPTOPS_MODEL_API_KEY when there is one. */
export async function endpointEnv(secrets: vscode.SecretStorage, keyVariable: string): Promise<NodeJS.ProcessEnv> {
  const stored = await secrets.get(MODEL_API_KEY_SECRET);
  return stored ? { ...process.env, [keyVariable]: stored } : process.env;
}

export type SetModelApiKeyResult = 'stored' | 'removed' | 'cancelled';

/** "Set Model API Key": asks in a password box (scripted callers give `apiKey`); empty removes it. */
export async function setModelApiKeyCommand(
  secrets: vscode.SecretStorage,
  args?: { apiKey: string },
): Promise<SetModelApiKeyResult> {
  const key =
    args?.apiKey ??
    (await vscode.window.showInputBox({
      title: 'PromptOps: model API key',
      prompt: 'The key for PROMPTOPS_MODEL_BASE_URL, kept in VS Code’s secret storage. Leave empty to remove it.',
      password: true,
      ignoreFocusOut: true,
    }));
  if (key === undefined) return 'cancelled';
  if (!key.trim()) {
    await secrets.delete(MODEL_API_KEY_SECRET);
    void vscode.window.showInformationMessage('PromptOps: model API key removed; PROMPTOPS_MODEL_API_KEY is used.');
    return 'removed';
  }
  await secrets.store(MODEL_API_KEY_SECRET, key.trim());
  void vscode.window.showInformationMessage('PromptOps: model API key stored in VS Code’s secret storage.');
  return 'stored';
}
