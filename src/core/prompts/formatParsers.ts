import type { FormatParser } from './formatParse';
import { parseGithubModelsPrompt } from './githubModelsPrompt';
import { parseHumanloopPrompt } from './humanloopPrompt';
import type { PromptFormat } from './promptModel';
import { parsePromptyPrompt } from './promptyPrompt';
import { parseVscodePromptMd } from './vscodePromptMd';

export const FORMAT_PARSERS: Readonly<Record<PromptFormat, FormatParser>> = {
  humanloop: parseHumanloopPrompt,
  'github-models': parseGithubModelsPrompt,
  prompty: parsePromptyPrompt,
  'vscode-prompt-md': parseVscodePromptMd,
};
