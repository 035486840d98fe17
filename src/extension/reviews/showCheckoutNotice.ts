import * as vscode from 'vscode';
import type { CheckoutOutcome } from '../../workflows/checkoutReview';
import { checkoutNotice } from './checkoutNotice';

/** Check Out's notice as a notification: a warning when a dataset the review does not carry was left beside the prompt. */
export function showCheckoutNotice(outcome: CheckoutOutcome): void {
  const notice = `PromptOps: ${checkoutNotice(outcome)}`;
  if (outcome.strayDataset) void vscode.window.showWarningMessage(notice);
  else void vscode.window.showInformationMessage(notice);
}
