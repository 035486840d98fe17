/** The one error shape every non-2xx response carries. `field` names the offending input. */
export interface ApiErrorBody {
  error: {
    code: ApiErrorCode;
    message: string;
    field?: string;
    /** Every located problem, when the input was a file (an access file, a prompt). */
    diagnostics?: DiagnosticDto[];
    /** The request that lifts the refusal (e.g. running a review's evaluation), for API clients. */
    request?: ApiRequestDto;
  };
}

/** An API request an error points to: `POST /api/reviews/7/evaluations`. */
export interface ApiRequestDto {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
}

/** A problem in a file, `file:line:col field: message`. */
export interface DiagnosticDto {
  file: string;
  line: number;
  column: number;
  field: string;
  message: string;
  severity: 'error' | 'warning';
}

export type ApiErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'validation_failed'
  | 'unauthorized'
  | 'invalid_credentials'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'last_admin'
  | 'builtin_workspace'
  | 'workspace_deleted'
  | 'invalid_access_file'
  | 'invalid_prompt'
  | 'invalid_dataset'
  | 'no_policy'
  | 'not_a_user'
  | 'review_closed'
  | 'stale_head'
  | 'already_published'
  | 'not_published'
  | 'already_on_release_branch'
  | 'unchanged_from_published'
  | 'name_taken'
  | 'invite_used'
  | 'invite_revoked'
  | 'invite_expired'
  | 'already_approved'
  | 'approval_rule_unmet'
  | 'evaluation_required'
  | 'model_error'
  | 'changes_requested'
  | 'policy_review_required'
  | 'policy_changed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'unavailable'
  | 'internal';
