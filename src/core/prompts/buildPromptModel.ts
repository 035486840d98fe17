import type { PromptModel } from './promptModel';

export type PromptModelFields = {
  [K in keyof PromptModel]: PromptModel[K] | (undefined extends PromptModel[K] ? undefined : never);
};

/** A PromptModel without keys for absent optional fields, so models compare cleanly. */
export function buildPromptModel(fields: PromptModelFields): PromptModel {
  const model: PromptModel = {
    name: fields.name,
    parameters: fields.parameters,
    messages: fields.messages,
    variables: fields.variables,
    metadata: fields.metadata,
  };
  if (fields.description !== undefined) model.description = fields.description;
  if (fields.model !== undefined) model.model = fields.model;
  if (fields.workspace !== undefined) model.workspace = fields.workspace;
  if (fields.env !== undefined) model.env = fields.env;
  return model;
}
