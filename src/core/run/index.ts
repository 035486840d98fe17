export type { ChatMessage } from './chatMessage';
export { renderPrompt, type PromptValues } from './renderPrompt';
export { promptInputs, type PromptInput } from './promptInputs';
export { promptyTemplateEngine, type TemplateEngine } from './promptyTemplateEngine';
export { chatParameters, type ChatParameters } from './chatParameters';
export { parseVariableAssignments } from './variableAssignments';
