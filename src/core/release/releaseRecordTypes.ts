// Plain data, no Node imports: the shared API types (and so the webview) use these too.

// The records' types follow from their one definitions (TypeBox, no Node imports either).
export type { ReleaseRecord, SignedRelease } from './releaseRecordSchema';

export type { SignedUnpublish, UnpublishRecord } from './unpublishRecordSchema';
