// Every suite file, in the order they run.
import './activation.test';
import './roles.test';
import './apiKeys.test';
import './accessReview.test';
import './typing.test';
import './guard.test';
import './diagnostics.test';
import './offline.test';
import './reviews.test';
import './live.test';
import './team.test';
import './gitHook.test';
import './commitSigning.test';
import './runPrompt.test';
import './evaluatePrompt.test';
import './workspaceScope.test';
import './evaluations.test';
