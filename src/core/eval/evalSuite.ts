/** Where something was written, for results and errors: `file:line:column field`. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  /** `testData[2]`, `tests[0]`, `evaluators[1]`. */
  field: string;
}

/** One test case: values for the prompt's variables (and for evaluators' `{{…}}`), and where it was written. */
export interface EvalCase {
  /** The case's `name`, else `case N` counting from 1 across the suite. */
  name: string;
  values: Record<string, unknown>;
  at: SourceLocation;
}

export type StringMatch = 'equals' | 'contains' | 'startsWith' | 'endsWith';

/** GitHub Models' `string` evaluator: one comparison of the answer with a (templated) text. */
export interface StringEvaluator {
  kind: 'string';
  name: string;
  match: StringMatch;
  /** The text to compare with, `{{variables}}` not yet filled. */
  text: string;
  ignoreCase: boolean;
  at: SourceLocation;
}

/** A verdict a grading model may give, with its score; a score above 0 passes (GitHub Models' rule). */
export interface GradingChoice {
  choice: string;
  score: number;
}

/** GitHub Models' `llm` evaluator: a grading prompt whose answer is matched against choices. */
export interface ModelGradedEvaluator {
  kind: 'llm';
  name: string;
  modelId?: string;
  systemPrompt?: string;
  /** `{{completion}}` is the answer under test; the case's variables are filled in too. */
  prompt: string;
  choices: GradingChoice[];
  at: SourceLocation;
}

/** `uses: github/similarity` and the like: run model-graded with PromptOps' own grading prompt. */
export interface BuiltinEvaluator {
  kind: 'builtin';
  name: string;
  uses: string;
  at: SourceLocation;
}

export type Evaluator = StringEvaluator | ModelGradedEvaluator | BuiltinEvaluator;

/** What to run: the cases and the evaluators each answer is checked with. */
export interface EvalSuite {
  cases: EvalCase[];
  evaluators: Evaluator[];
}
